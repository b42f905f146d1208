namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>memoryCapacity 0: every event goes to the overflow store.</summary>
public sealed class SpillableDiskOnlyContractTests : SpillableContractTests
{
    protected override (int Memory, int Overflow) Split(int capacity) => (0, capacity);
}
