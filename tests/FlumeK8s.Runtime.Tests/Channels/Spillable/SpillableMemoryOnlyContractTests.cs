namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>overflowCapacity 0: a pure memory channel.</summary>
public sealed class SpillableMemoryOnlyContractTests : SpillableContractTests
{
    protected override (int Memory, int Overflow) Split(int capacity) => (capacity, 0);
}
