using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>The configs in examples/ run as they are in the real agent.</summary>
public sealed class ExampleConfigTests
{
    [Fact]
    public async Task UserGuideNetcatExample_RunsUnchanged_LinesAreAckedAndLogged()
    {
        // Unchanged but for its port: 44444 lies in the ephemeral range, where the connections the
        // other tests open at the same time may hold it.
        var (config, port) = await OnFreePortAsync("flume/user-guide-netcat.properties", 44444);
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        using var client = new TcpClient();
        await client.ConnectAsync("localhost", port).WaitAsync(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("Hello world!\r\n"));
        Assert.Equal("OK", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await agent.WaitForOutputAsync(new Regex(@"Event: \{ headers:\{\} body: 48 65 6C 6C 6F 20 77 6F 72 6C 64 21 0D\s+Hello world!\. \}"), "the logged event");

        agent.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync());
        File.Delete(config);
    }

    [Fact]
    public async Task HttpJsonExample_PostedEventsAreTimestampedAndLogged()
    {
        var (config, port) = await OnFreePortAsync("flume/http-json.properties", 5140);
        try
        {
            await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
            using var http = new HttpClient();
            var response = await http.PostAsync($"http://127.0.0.1:{port}/", new StringContent("""[{"headers":{"host":"web1"},"body":"hello"}]"""));
            Assert.True(response.IsSuccessStatusCode);
            await agent.WaitForOutputAsync(new Regex(@"Event: \{ headers:\{host=web1, timestamp=\d+\} body: 68 65 6C 6C 6F"), "the logged event");

            var bad = await http.PostAsync($"http://127.0.0.1:{port}/", new StringContent("[{not json"));
            Assert.Equal(400, (int)bad.StatusCode);
            Assert.Equal("1", (await agent.MetricsAsync()).GetProperty("SOURCE.r1").GetProperty("EventAcceptedCount").GetString());
        }
        finally
        {
            File.Delete(config);
        }
    }

    // A copy of the example listening on a free port instead of its own; the caller deletes it.
    private static async Task<(string Config, int Port)> OnFreePortAsync(string example, int examplePort)
    {
        var config = Path.Combine(Path.GetTempPath(), $"flumek8s-example-{Guid.NewGuid():N}.properties");
        var port = Loopback.FreePort();
        var text = await File.ReadAllTextAsync(AgentProcess.Example(example));
        await File.WriteAllTextAsync(config, text.Replace($"port = {examplePort}", $"port = {port}"));
        return (config, port);
    }
}
