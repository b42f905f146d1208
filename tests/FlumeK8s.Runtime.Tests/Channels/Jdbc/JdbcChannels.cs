using FlumeK8s.Runtime.Channels.Jdbc;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>Opens jdbc channels for a test and stops those still open at its end.</summary>
public sealed class JdbcChannels : IDisposable
{
    private readonly List<JdbcChannel> _open = [];

    public async Task<JdbcChannel> OpenAsync(JdbcChannelSettings settings)
    {
        var channel = new JdbcChannel("c1", settings);
        await channel.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        _open.Add(channel);
        return channel;
    }

    public async Task CloseAsync(JdbcChannel channel)
    {
        _open.Remove(channel);
        await channel.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        foreach (var channel in _open)
        {
            channel.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        _open.Clear();
    }
}
