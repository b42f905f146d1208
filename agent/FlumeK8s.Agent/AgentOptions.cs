using System.Globalization;

namespace FlumeK8s.Agent;

/// <summary>
/// The command line, with the meaning of Flume's <c>flume-ng agent</c>:
/// <c>-n &lt;agent&gt; -f &lt;file&gt; [--no-reload-conf] [--reload-interval s] [--http-port p] [-Dkey=value]</c>.
/// </summary>
internal sealed record AgentOptions(
    string AgentName,
    string ConfigFile,
    bool Reload,
    TimeSpan ReloadInterval,
    int HttpPort,
    string HttpBind,
    TimeSpan ShutdownGrace,
    IReadOnlyDictionary<string, string> SystemProperties)
{
    public const string Usage =
        "usage: flumek8s-agent -n <agent> -f <file.properties> [--no-reload-conf] [--reload-interval <seconds>]\n" +
        "                      [--http-port <port>] [--http-bind <address>] [--shutdown-grace <seconds>] [-D<key>=<value> ...]";

    /// <summary>Parses <paramref name="args"/>; on a mistake returns null and says what was wrong in <paramref name="error"/>.</summary>
    public static AgentOptions? Parse(IReadOnlyList<string> args, out string? problem)
    {
        string? name = null, file = null, bind = "0.0.0.0";
        var reload = true;
        double reloadSeconds = 30, graceSeconds = 25;
        var port = 41414;
        var system = new Dictionary<string, string>(StringComparer.Ordinal);
        string? error = null;
        for (var i = 0; i < args.Count && error is null; i++)
        {
            var arg = args[i];
            string? Next()
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }
                error = $"{arg} needs a value";
                return null;
            }
            switch (arg)
            {
                case "-n" or "--name": name = Next(); break;
                case "-f" or "--conf-file": file = Next(); break;
                case "-c" or "--conf": Next(); break; // Flume's conf directory: accepted for compatibility, not needed.
                case "--no-reload-conf": reload = false; break;
                case "--reload-interval": reloadSeconds = Number(arg, Next(), min: 0.1, ref error); break;
                case "--http-port": port = (int)Number(arg, Next(), min: 0, ref error); break;
                case "--http-bind": bind = Next(); break;
                case "--shutdown-grace": graceSeconds = Number(arg, Next(), min: 0, ref error); break;
                case var d when d.StartsWith("-D", StringComparison.Ordinal) && d.Contains('='):
                    system[d[2..d.IndexOf('=')]] = d[(d.IndexOf('=') + 1)..];
                    break;
                default: error = $"unknown argument '{arg}'"; break;
            }
        }
        if (error is null && name is null)
        {
            error = "-n <agent> is required";
        }
        if (error is null && file is null)
        {
            error = "-f <file.properties> is required";
        }
        problem = error;
        if (error is not null)
        {
            return null;
        }
        return new AgentOptions(name!, file!, reload, TimeSpan.FromSeconds(reloadSeconds), port, bind!,
            TimeSpan.FromSeconds(graceSeconds), system);
    }

    private static double Number(string option, string? text, double min, ref string? error)
    {
        if (text is null)
        {
            return 0;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            error ??= $"{option}: '{text}' is not a number of at least {min}";
        }
        return value;
    }
}
