using FlumeK8s.Runtime.Channels;

namespace FlumeK8s.Runtime.Tests.Channels.File;

public sealed class FileChannelContractTests : BoundedChannelContractTests, IDisposable
{
    private readonly FileChannelFixture _fixture = new();
    private readonly List<IChannel> _open = [];

    protected override async Task<IChannel> CreateAsync(int capacity, int transactionCapacity)
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(capacity, transactionCapacity));
        Assert.Null(channel.UnhealthyReason);
        _open.Add(channel);
        return channel;
    }

    public void Dispose()
    {
        foreach (var channel in _open)
        {
            channel.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        _fixture.Dispose();
    }
}
