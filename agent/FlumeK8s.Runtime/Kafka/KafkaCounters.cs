namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// The extra counters of Flume's KafkaSinkCounter, KafkaSourceCounter and KafkaChannelCounter, with
/// Flume's names. The timers are cumulative milliseconds spent in the Kafka client, as in Flume.
/// </summary>
internal static class KafkaCounters
{
    public const string EventSendTimer = "KafkaEventSendTimer";
    public const string EventGetTimer = "KafkaEventGetTimer";
    public const string CommitTimer = "KafkaCommitTimer";
    public const string EmptyCount = "KafkaEmptyCount";
    public const string RollbackCount = "RollbackCount";

    public static readonly IReadOnlyList<string> Sink = [EventSendTimer, RollbackCount];

    public static readonly IReadOnlyList<string> Source = [EventGetTimer, CommitTimer, EmptyCount];

    public static readonly IReadOnlyList<string> Channel = [EventGetTimer, EventSendTimer, CommitTimer, RollbackCount];
}
