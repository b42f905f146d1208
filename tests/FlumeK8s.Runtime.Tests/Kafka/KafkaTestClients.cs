using Confluent.Kafka;

namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>Plain Confluent clients that write and read test topics independently of the components under test.</summary>
public static class KafkaTestClients
{
    public static async Task ProduceAsync(string bootstrap, string topic, IEnumerable<Message<byte[]?, byte[]>> messages)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All })
            .SetLogHandler((_, _) => { }).Build();
        foreach (var message in messages)
        {
            await producer.ProduceAsync(topic, message).WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>Reads <paramref name="topic"/> from the beginning until <paramref name="count"/> records arrived or the time is up.</summary>
    public static List<ConsumeResult<byte[]?, byte[]>> Read(string bootstrap, string topic, int count, TimeSpan? timeout = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[]?, byte[]>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                records.Add(record);
            }
        }
        consumer.Close();
        return records;
    }
}
