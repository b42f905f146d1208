using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Kafka;

namespace FlumeK8s.Runtime.Sources.Kafka;

/// <summary>The Kafka source's properties, with Flume's names and defaults.</summary>
internal sealed record KafkaSourceSettings(
    KafkaConnectionSettings Connection,
    IReadOnlyList<string> Topics,
    string? TopicsRegex,
    int BatchSize,
    TimeSpan BatchDuration,
    bool UseFlumeEventFormat,
    bool SetTopicHeader,
    string TopicHeader)
{
    /// <summary>What the consumer subscribes to; librdkafka reads a leading ^ as a pattern.</summary>
    public IReadOnlyList<string> Subscription =>
        TopicsRegex is null ? Topics : [TopicsRegex.StartsWith('^') ? TopicsRegex : "^" + TopicsRegex];

    public static KafkaSourceSettings Read(ComponentContext context)
    {
        var topics = (context.GetString("kafka.topics") ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var regex = context.GetString("kafka.topics.regex");
        if (regex is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(regex);
            }
            catch (ArgumentException e)
            {
                context.Error("kafka.topics.regex", $"not a regular expression: {e.Message}");
            }
            if (topics.Length > 0)
            {
                context.Warning("kafka.topics", "ignored: kafka.topics.regex takes precedence, as in Flume");
            }
        }
        else if (topics.Length == 0)
        {
            context.Error("kafka.topics", "required property is missing (or set kafka.topics.regex)");
        }
        return new KafkaSourceSettings(
            KafkaConnectionSettings.Read(context),
            topics,
            regex,
            context.GetInt("batchSize", 1000, min: 1),
            TimeSpan.FromMilliseconds(context.GetInt("batchDurationMillis", 1000, min: 1)),
            context.GetBool("useFlumeEventFormat", false),
            context.GetBool("setTopicHeader", true),
            context.GetString("topicHeader", "topic"));
    }
}
