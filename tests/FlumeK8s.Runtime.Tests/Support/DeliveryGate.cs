namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>Whether <see cref="GatedSink"/>s deliver, and how many events they delivered.</summary>
public sealed class DeliveryGate
{
    private long _delivered;

    public volatile bool IsOpen;

    public long Delivered => Interlocked.Read(ref _delivered);

    public void Add(int count) => Interlocked.Add(ref _delivered, count);
}
