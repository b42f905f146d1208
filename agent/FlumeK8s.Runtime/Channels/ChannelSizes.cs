using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels;

/// <summary><c>capacity</c> and <c>transactionCapacity</c>, as every channel holding its own events reads them.</summary>
internal static class ChannelSizes
{
    public static (int Capacity, int TransactionCapacity) Read(ComponentContext context, int defaultCapacity, int defaultTransactionCapacity)
    {
        var capacity = context.GetInt("capacity", defaultCapacity, min: 1);
        var transactionCapacity = context.GetInt("transactionCapacity", defaultTransactionCapacity, min: 1);
        CheckTransactionFits(context, transactionCapacity, capacity, "capacity", "capacity");
        return (capacity, transactionCapacity);
    }

    /// <summary>Reports a transactionCapacity above what the channel can hold, unless one of the two
    /// values was itself refused (then its stand-in default would make this a second, wrong error).</summary>
    public static void CheckTransactionFits(ComponentContext context, int transactionCapacity, long capacity, string capacityName, params string[] capacityKeys)
    {
        if (transactionCapacity > capacity && !context.HasError("transactionCapacity") && !capacityKeys.Any(context.HasError))
        {
            context.Error("transactionCapacity", $"transactionCapacity {transactionCapacity} is larger than {capacityName} ({capacity})");
        }
    }
}
