using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.File;

public class FileChannelContractTests : BoundedChannelContractTests, IDisposable
{
    private readonly FileChannelFixture _fixture = new();
    private readonly List<IChannel> _open = [];

    protected override async Task<IChannel> CreateAsync(int capacity, int transactionCapacity)
    {
        var channel = await _fixture.OpenAsync(Adjust(_fixture.Settings(capacity, transactionCapacity)));
        Assert.Null(channel.UnhealthyReason);
        _open.Add(channel);
        return channel;
    }

    protected virtual FileChannelSettings Adjust(FileChannelSettings settings) => settings;

    public void Dispose()
    {
        foreach (var channel in _open)
        {
            channel.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        _fixture.Dispose();
    }
}

/// <summary>The same contract with take commits that return before their fsync.</summary>
public sealed class FileChannelTakeFsyncDeferredContractTests : FileChannelContractTests
{
    protected override FileChannelSettings Adjust(FileChannelSettings settings) => settings with { DeferTakeFsync = true };
}
