using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: three brokers speaking the real Kafka protocol on loopback
/// ports, owned by a producer handle that lives as long as this object. Its management calls
/// (topic creation, request error injection, broker down/up) are reached through the C API.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IProducer<byte[], byte[]> _owner;
    private readonly IntPtr _cluster;
    private readonly IntPtr _library;

    public KafkaMockCluster(int brokers = 3)
    {
        var config = new ProducerConfig { BootstrapServers = "mock", LogConnectionClose = false };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        _library = NativeLibrary.Load(LoadedLibrdkafka.Path);
        _cluster = Function<HandleMockCluster>("rd_kafka_handle_mock_cluster")(KafkaHandle(_owner.Handle));
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka did not create a mock cluster");
        }
        BootstrapServers = Marshal.PtrToStringUTF8(Function<ClusterBootstraps>("rd_kafka_mock_cluster_bootstraps")(_cluster))!;
    }

    private delegate IntPtr HandleMockCluster(IntPtr kafka);

    private delegate IntPtr ClusterBootstraps(IntPtr cluster);

    private delegate int TopicCreate(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    private delegate void PushRequestErrors(IntPtr cluster, short apiKey, nuint count, int[] errors);

    private delegate int BrokerSetState(IntPtr cluster, int brokerId);

    public string BootstrapServers { get; }

    public void CreateTopic(string topic, int partitions)
    {
        var error = Function<TopicCreate>("rd_kafka_mock_topic_create")(_cluster, topic, partitions, 1);
        if (error != 0)
        {
            throw new InvalidOperationException($"mock topic {topic}: error {error}");
        }
    }

    /// <summary>The next <paramref name="count"/> requests of <paramref name="apiKey"/> fail with <paramref name="error"/>.</summary>
    public void FailRequests(short apiKey, ErrorCode error, int count)
    {
        var errors = Enumerable.Repeat((int)error, count).ToArray();
        Function<PushRequestErrors>("rd_kafka_mock_push_request_errors_array")(_cluster, apiKey, (nuint)count, errors);
    }

    public void SetBrokerDown(int brokerId) => Function<BrokerSetState>("rd_kafka_mock_broker_set_down")(_cluster, brokerId);

    public void SetBrokerUp(int brokerId) => Function<BrokerSetState>("rd_kafka_mock_broker_set_up")(_cluster, brokerId);

    public void Dispose()
    {
        _owner.Dispose();
        NativeLibrary.Free(_library);
    }

    // Confluent.Kafka keeps the rd_kafka_t pointer in an internal SafeHandle; tests reach it by reflection.
    private static IntPtr KafkaHandle(Handle handle)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka's Handle has no LibrdkafkaHandle property");
        return ((SafeHandle)property.GetValue(handle)!).DangerousGetHandle();
    }

    private T Function<T>(string name) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(_library, name));
}
