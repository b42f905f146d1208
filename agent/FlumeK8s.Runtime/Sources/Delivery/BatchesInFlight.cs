using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// The polled sources' <c>batches-in-flight</c> setting (the grpc sink's name for the same idea):
/// how many batches a source may have handed to its channels and not yet seen committed
/// (<see cref="DeliveryWindow{TMark}"/>). 1 is Flume's behaviour: read, commit, read the next.
/// </summary>
internal static class BatchesInFlight
{
    public const string Key = "batches-in-flight";

    /// <summary>Chosen by measurement (bench/README.md, seq → file → null): enough commits to share each fsync.</summary>
    public const int Default = 2;

    public const int Max = 64;

    public static int Read(ComponentContext context) => context.GetInt(Key, Default, min: 1, max: Max);
}
