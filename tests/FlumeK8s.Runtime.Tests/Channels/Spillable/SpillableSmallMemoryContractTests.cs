namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>Memory holds a quarter: most events overflow, takes cross between the stores.</summary>
public sealed class SpillableSmallMemoryContractTests : SpillableContractTests
{
    protected override (int Memory, int Overflow) Split(int capacity) => (Math.Max(1, capacity / 4), capacity - Math.Max(1, capacity / 4));
}
