using System.Globalization;

namespace FlumeK8s.Agent;

/// <summary>
/// <c>flumek8s-agent --health-check [--http-port p]</c>: asks the agent running in the same container
/// for /healthz on the loopback address and exits 0 when it answers 200. The image's HEALTHCHECK runs
/// it because the runtime image carries no curl or wget.
/// </summary>
internal static class HealthCheck
{
    public const string Flag = "--health-check";

    public const string Usage = "usage: flumek8s-agent --health-check [--http-port <port>]";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stderr, CancellationToken cancellationToken)
    {
        var port = AgentOptions.DefaultHttpPort;
        var usable = args.Count == 0
            || (args is ["--http-port", var text]
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535);
        if (!usable)
        {
            await stderr.WriteLineAsync($"flumek8s-agent: bad {Flag} arguments '{string.Join(' ', args)}'\n{Usage}".AsMemory(), cancellationToken);
            return AgentProgram.ExitUsage;
        }
        var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/healthz");
        using var http = new HttpClient { Timeout = RequestTimeout };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }
            await stderr.WriteLineAsync($"flumek8s-agent: {url} answered {(int)response.StatusCode}".AsMemory(), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"flumek8s-agent: {url} did not answer: {e.Message}".AsMemory(), cancellationToken);
        }
        return AgentProgram.ExitFailed;
    }
}
