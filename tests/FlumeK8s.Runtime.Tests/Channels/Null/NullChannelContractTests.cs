using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Null;

namespace FlumeK8s.Runtime.Tests.Channels.Null;

/// <summary>
/// The null channel honours the transaction rules only. The rest of the channel contract is about
/// a buffer (committed puts come out in order, a rollback returns takes to the head, capacity holds
/// room, WaitToTake wakes when events arrive, nothing is lost or duplicated under concurrency) and
/// does not apply to a channel whose whole purpose is to keep nothing; <see cref="NullChannelTests"/>
/// states what it does instead.
/// </summary>
public sealed class NullChannelContractTests : TransactionContractTests
{
    protected override Task<IChannel> CreateAsync(int capacity, int transactionCapacity) =>
        Task.FromResult<IChannel>(new NullChannel("c1", new NullChannelSettings(transactionCapacity)));
}
