namespace FlumeK8s.Runtime.Channels.Spillable;

/// <summary><paramref name="Count"/> consecutive events (in put order) that sit in one store.</summary>
internal readonly record struct DrainRun(bool InOverflow, int Count);
