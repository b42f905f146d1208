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
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", AgentProcess.Example("flume/user-guide-netcat.properties"));
        using var client = new TcpClient();
        await client.ConnectAsync("localhost", 44444).WaitAsync(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("Hello world!\r\n"));
        Assert.Equal("OK", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await agent.WaitForOutputAsync(new Regex(@"Event: \{ headers:\{\} body: 48 65 6C 6C 6F 20 77 6F 72 6C 64 21 0D\s+Hello world!\. \}"), "the logged event");

        agent.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync());
    }

    [Fact]
    public async Task HttpJsonExample_PostedEventsAreTimestampedAndLogged()
    {
        var config = Path.Combine(Path.GetTempPath(), $"flumek8s-http-{Guid.NewGuid():N}.properties");
        var port = Loopback.FreePort();
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(AgentProcess.Example("flume/http-json.properties"))).Replace("port = 5140", $"port = {port}"));
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
}
