using System.Collections.Concurrent;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>Capacity under rollback, many threads then a restart, and group commit.</summary>
public sealed class FileChannelConcurrencyTests : IDisposable
{
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    [Fact]
    public async Task Commit_BeyondCapacityAcrossRollbackAndRestart_StillRefused()
    {
        var settings = Fixture.Settings(capacity: 5, transactionCapacity: 5);
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "1", "2", "3", "4", "5");
        using (var take = BeginTake(channel, 3, out _))
        {
            await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "6"));
            take.Rollback();
        }
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "6"));
        Assert.Equal(["1", "2"], await TakeAsync(channel, 2));
        await PutAsync(channel, "6", "7");
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "8"));

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), settings);

        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(recovered, "8"));
        Assert.Equal(["3", "4", "5", "6", "7"], await DrainAsync(recovered));
        await PutAsync(recovered, "8");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThreadedProducersAndConsumers_ThenRestart_NoCommittedEventLostOrDuplicated(bool crash)
    {
        const int producers = 4, perProducer = 500, batch = 25, consumeBeforeRestart = 1000;
        var settings = Fixture.Settings(capacity: 5000, transactionCapacity: batch);
        var channel = await _scope.OpenAsync(settings);
        var committedTakes = new ConcurrentQueue<string>();
        var produce = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i += batch)
            {
                await PutAsync(channel, [.. Enumerable.Range(i, batch).Select(n => $"{p}:{n:D4}")]);
            }
        })).ToArray();
        var consume = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (committedTakes.Count < consumeBeforeRestart)
            {
                using var take = BeginTake(channel, batch, out var taken);
                if (taken.Count > 0 && Random.Shared.Next(4) == 0)
                {
                    take.Rollback(); // rolled-back takes must come back, not be lost or doubled
                    continue;
                }
                await take.CommitAsync(CancellationToken.None);
                foreach (var body in taken)
                {
                    committedTakes.Enqueue(body);
                }
                if (taken.Count == 0)
                {
                    await channel.WaitToTakeAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None);
                }
            }
        })).ToArray();
        await Eventually.Within(Task.WhenAll(produce.Concat(consume)), TimeSpan.FromSeconds(90));

        FileChannel recovered;
        if (crash)
        {
            recovered = await _scope.OpenOnAsync(_scope.Crash(), settings);
        }
        else
        {
            await FileChannelScope.StopAsync(channel);
            recovered = await _scope.OpenAsync(settings);
        }
        var remaining = await DrainAsync(recovered, batch);

        var everything = committedTakes.Concat(remaining).ToList();
        Assert.Equal(producers * perProducer, everything.Count);
        Assert.Equal(producers * perProducer, everything.Distinct().Count());
        foreach (var fromOneProducer in remaining.GroupBy(b => b.Split(':')[0]))
        {
            Assert.Equal(fromOneProducer.Order(StringComparer.Ordinal), fromOneProducer); // recovery keeps each producer's order
        }
    }

    [Fact]
    public async Task Commit_ManyConcurrentCommitters_ShareOneFsync()
    {
        const int committers = 40;
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        var appendsBefore = storage.Appends;
        storage.HoldSyncs(); // a slow disk: commits pile up behind the first flush
        var commits = Enumerable.Range(0, committers).Select(i => Task.Run(() => PutAsync(channel, $"e{i}"))).ToArray();
        await Eventually.TrueAsync(() => storage.Appends - appendsBefore == committers && storage.HeldSyncs == 1, "every block written, one flush waiting");

        storage.ReleaseSyncs();
        await Eventually.Within(Task.WhenAll(commits));

        // The flush that was waiting covers the blocks written before it began; one more covers the rest.
        Assert.InRange(channel.Syncs, 1, 2);
        Assert.Equal(committers, channel.Counter.Size);
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());
        Assert.Equal(committers, (await DrainAsync(recovered)).Count);
    }

    public void Dispose() => _scope.Dispose();
}
