using FlumeK8s.Runtime.Channels;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

public sealed class SqliteJdbcChannelContractTests : BoundedChannelContractTests, IDisposable
{
    private readonly SqliteChannelFixture _fixture = new();

    protected override async Task<IChannel> CreateAsync(int capacity, int transactionCapacity)
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(capacity, transactionCapacity));
        Assert.Null(channel.UnhealthyReason);
        return channel;
    }

    public void Dispose() => _fixture.Dispose();
}
