using System.Globalization;
using System.Text;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// The <c>multiport_syslogtcp</c> source's properties, with Flume's names and defaults:
/// <c>ports</c> (space separated), <c>portHeader</c> (header that receives the local port),
/// <c>charset.default</c> and <c>charset.port.&lt;port&gt;</c>, <c>batchSize</c> (messages per
/// channel transaction) and <c>readBufferBytes</c> (bytes asked of the socket per read).
/// </summary>
public sealed record MultiportSyslogTcpSourceSettings(
    string Host,
    IReadOnlyList<int> Ports,
    int EventSize,
    string? PortHeader,
    Encoding DefaultCharset,
    IReadOnlyDictionary<int, Encoding> PortCharsets,
    int BatchSize,
    int ReadBufferBytes,
    SyslogKeepFields KeepFields)
{
    public static MultiportSyslogTcpSourceSettings Read(ComponentContext context)
    {
        var host = context.Require("host");
        var ports = ReadPorts(context);
        var eventSize = context.GetInt("eventSize", SyslogTcpSourceSettings.DefaultEventSize, min: 10);
        var portHeader = context.GetString("portHeader");
        var defaultCharset = SyslogSettingReaders.ReadCharset(context, "charset.default", "UTF-8");
        var portCharsets = ReadPortCharsets(context, ports);
        var batchSize = context.GetInt("batchSize", 100, min: 1);
        var readBufferBytes = context.GetInt("readBufferBytes", 1024, min: 1, max: 64 * 1024 * 1024);
        return new MultiportSyslogTcpSourceSettings(host, ports, eventSize, portHeader, defaultCharset, portCharsets,
            batchSize, readBufferBytes, SyslogSettingReaders.ReadKeepFields(context));
    }

    internal SyslogTcpServerOptions ToServerOptions() => new(
        Host,
        [.. Ports.Select(p => new SyslogTcpPort(p, Strict(PortCharsets.GetValueOrDefault(p, DefaultCharset))))],
        EventSize, BatchSize, ReadBufferBytes, KeepFields, PortHeader);

    // A port's charset is a promise about its senders: bytes that break it make the message Invalid (as in Flume) instead of being decoded loosely.
    private static Encoding Strict(Encoding charset)
    {
        var strict = (Encoding)charset.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        return strict;
    }

    private static List<int> ReadPorts(ComponentContext context)
    {
        const string key = "ports";
        var words = context.GetList(key);
        if (words.Count == 0)
        {
            context.Error(key, "required property is missing (a space-separated list of ports)");
        }
        var ports = new List<int>();
        foreach (var word in words)
        {
            if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                context.Error(key, $"'{word}' is not a port number (0..65535)");
            }
            else if (ports.Contains(port))
            {
                context.Error(key, $"port {port} is listed twice");
            }
            else
            {
                ports.Add(port);
            }
        }
        return ports;
    }

    private static Dictionary<int, Encoding> ReadPortCharsets(ComponentContext context, List<int> ports)
    {
        const string prefix = "charset.port.";
        var charsets = new Dictionary<int, Encoding>();
        foreach (var portText in context.GetPrefixed(prefix).Keys)
        {
            var key = prefix + portText;
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                context.Error(key, $"'{portText}' is not a port number");
                continue;
            }
            if (!ports.Contains(port))
            {
                context.Warning(key, $"port {port} is not in ports; this charset is never used");
            }
            charsets[port] = SyslogSettingReaders.ReadCharset(context, key, "UTF-8");
        }
        return charsets;
    }
}
