namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>Memory holds all but one: overflow happens only at the very edge.</summary>
public sealed class SpillableLargeMemoryContractTests : SpillableContractTests
{
    protected override (int Memory, int Overflow) Split(int capacity) => (capacity - 1, 1);
}
