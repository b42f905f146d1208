using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels.Null;

/// <summary>
/// The null channel's one property. Its transaction capacity bounds nothing it stores (it stores
/// nothing); it only caps the batch sizes of the sources writing to it, like every channel's does, so
/// the default is large enough for any batch a source is likely to send.
/// </summary>
internal sealed record NullChannelSettings(int TransactionCapacity) : IChannelSettings
{
    public const int DefaultTransactionCapacity = 100000;

    public bool HoldsEvents => false;

    public static NullChannelSettings Read(ComponentContext context) =>
        new(context.GetInt("transactionCapacity", DefaultTransactionCapacity, min: 1));
}
