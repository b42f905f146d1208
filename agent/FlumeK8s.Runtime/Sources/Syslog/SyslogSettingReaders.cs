using System.Text;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>The properties all three syslog sources read the same way.</summary>
internal static class SyslogSettingReaders
{
    private static readonly string[] FieldNames = ["priority", "version", "timestamp", "hostname"];

    /// <summary>
    /// <c>keepFields</c>: <c>none</c>/<c>false</c>, <c>all</c>/<c>true</c>, or a list (space or
    /// comma separated) of priority, version, timestamp, hostname. Flume finds the names anywhere
    /// in the text; an unknown word here is an error rather than silently ignored.
    /// </summary>
    public static SyslogKeepFields ReadKeepFields(ComponentContext context)
    {
        const string key = "keepFields";
        var text = context.GetString(key, "none").Trim().ToLowerInvariant();
        if (text is "none" or "false")
        {
            return SyslogKeepFields.None;
        }
        if (text is "all" or "true")
        {
            return SyslogKeepFields.All;
        }
        var fields = SyslogKeepFields.None;
        foreach (var word in text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var index = Array.IndexOf(FieldNames, word);
            if (index < 0)
            {
                context.Error(key, $"'{word}' is not a syslog field; use none, all, or a list of {string.Join(", ", FieldNames)}");
                continue;
            }
            fields |= (SyslogKeepFields)(1 << index);
        }
        return fields;
    }

    public static int ReadPort(ComponentContext context, string key) => context.RequireInt(key, min: 0, max: 65535);

    /// <summary>A Java charset name (UTF-8, ISO-8859-1, windows-1252, Shift_JIS …) as a .NET encoding.</summary>
    public static Encoding ReadCharset(ComponentContext context, string key, string defaultName)
    {
        var name = context.GetString(key, defaultName).Trim();
        if (FindEncoding(name) is { } encoding)
        {
            return encoding;
        }
        context.Error(key, $"'{name}' is not a known charset");
        return Encoding.UTF8;
    }

    private static Encoding? FindEncoding(string name)
    {
        if (CodePagesEncodingProvider.Instance.GetEncoding(name) is { } codePage)
        {
            return codePage;
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            // Encoding has no TryGetEncoding: an unknown name is reported by the caller.
            return null;
        }
    }
}
