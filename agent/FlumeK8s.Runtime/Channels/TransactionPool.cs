namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// A few finished transaction objects kept for reuse, so a channel with a busy source and a busy
/// sink (two transactions open at once, all the time) allocates neither per commit. Lock-free:
/// each slot is taken and returned with one interlocked exchange.
/// </summary>
internal sealed class TransactionPool<T> where T : class
{
    private readonly T?[] _slots = new T?[4];

    public T? Rent()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var item = Interlocked.Exchange(ref _slots[i], null);
            if (item is not null)
            {
                return item;
            }
        }
        return null;
    }

    public void Return(T item)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], item, null) is null)
            {
                return;
            }
        }
    }
}
