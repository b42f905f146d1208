using System.Globalization;
using FlumeK8s.Runtime.Admin;
using OpenTelemetry.Exporter;

namespace FlumeK8s.Agent;

/// <summary>
/// The command line, with the meaning of Flume's <c>flume-ng agent</c>:
/// <c>-n &lt;agent&gt; -f &lt;file&gt; [--no-reload-conf] [--reload-interval s] [--http-port p] [-Dkey=value]</c>;
/// with <c>--drain</c> the same configuration runs without its sources until its channels are empty.
/// </summary>
internal sealed record AgentOptions(
    string AgentName,
    string ConfigFile,
    bool Reload,
    TimeSpan ReloadInterval,
    int HttpPort,
    string HttpBind,
    TimeSpan ShutdownGrace,
    bool Drain,
    TimeSpan DrainStall,
    IReadOnlyDictionary<string, string> SystemProperties,
    OtlpSettings? Otlp,
    string? PluginsDirectory)
{
    public const string Usage =
        "usage: flumek8s-agent -n <agent> -f <file.properties> [--no-reload-conf] [--reload-interval <seconds>]\n" +
        "                      [--http-port <port>] [--http-bind <address>] [--shutdown-grace <seconds>]\n" +
        "                      [--otlp-endpoint <url>] [--otlp-protocol http/protobuf|grpc] [--otlp-interval <seconds>] [-D<key>=<value> ...]\n" +
        "                      [--drain [--drain-stall <seconds>]] [--plugins <folder>]";

    /// <summary>The plugins folder when <c>--plugins</c> is not given (the image sets it to /opt/flumek8s/plugins).</summary>
    public const string PluginsVariable = "FLUMEK8S_PLUGINS";

    /// <summary>The admin endpoint's port unless <c>--http-port</c> says otherwise (Flume's monitoring port).</summary>
    public const int DefaultHttpPort = 41414;

    /// <summary>How long <c>--drain</c> waits for an event to leave while events remain: long enough to ride out a restart of the next tier.</summary>
    public const double DefaultDrainStallSeconds = 300;

    /// <summary>Parses <paramref name="args"/>; on a mistake returns null and says what was wrong in <paramref name="error"/>.</summary>
    public static AgentOptions? Parse(IReadOnlyList<string> args, out string? problem)
    {
        string? name = null, file = null, bind = "0.0.0.0";
        var reload = true;
        var drain = false;
        double reloadSeconds = 30, graceSeconds = 25, otlpSeconds = 15;
        double? drainStallSeconds = null;
        var otlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        var otlpProtocol = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL") ?? "http/protobuf";
        var port = DefaultHttpPort;
        var plugins = Environment.GetEnvironmentVariable(PluginsVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
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
                case "--otlp-endpoint": otlpEndpoint = Next(); break;
                case "--otlp-protocol": otlpProtocol = Next(); break;
                case "--otlp-interval": otlpSeconds = Number(arg, Next(), min: 1, ref error); break;
                case "--drain": drain = true; break;
                case "--plugins": plugins = Next(); break;
                case "--drain-stall": drainStallSeconds = Number(arg, Next(), min: 1, ref error); break;
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
        if (error is null && drainStallSeconds is not null && !drain)
        {
            error = "--drain-stall applies only with --drain";
        }
        var otlp = error is null ? ReadOtlp(otlpEndpoint, otlpProtocol!, otlpSeconds, ref error) : null;
        problem = error;
        if (error is not null)
        {
            return null;
        }
        return new AgentOptions(name!, file!, reload, TimeSpan.FromSeconds(reloadSeconds), port, bind!,
            TimeSpan.FromSeconds(graceSeconds), drain, TimeSpan.FromSeconds(drainStallSeconds ?? DefaultDrainStallSeconds), system, otlp, plugins);
    }

    // OTLP over HTTP posts to <endpoint>/v1/metrics; the standard environment variable names the base address.
    private static OtlpSettings? ReadOtlp(string? endpoint, string protocol, double intervalSeconds, ref string? error)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return null;
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"OTLP endpoint '{endpoint}' is not an http(s) URL";
            return null;
        }
        OtlpExportProtocol? kind = protocol switch
        {
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            _ => null,
        };
        if (kind is null)
        {
            error = $"OTLP protocol '{protocol}' is not http/protobuf or grpc";
            return null;
        }
        if (kind == OtlpExportProtocol.HttpProtobuf && uri.AbsolutePath.TrimEnd('/').Length == 0)
        {
            uri = new Uri(uri, "/v1/metrics");
        }
        return new OtlpSettings(uri, kind.Value, TimeSpan.FromSeconds(intervalSeconds));
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
