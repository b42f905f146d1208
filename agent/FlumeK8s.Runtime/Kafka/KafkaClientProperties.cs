using System.Globalization;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// Turns Flume's <c>kafka.producer.*</c> / <c>kafka.consumer.*</c> properties (Java client names)
/// into librdkafka properties. Most names are the same in both clients and pass through as they
/// are; the ones that differ are renamed, the Java-only ones are refused or dropped with a warning
/// naming the librdkafka equivalent, so a Flume configuration keeps working or says why not.
/// </summary>
internal static partial class KafkaClientProperties
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["max.request.size"] = "message.max.bytes",
        ["delivery.timeout.ms"] = "message.timeout.ms",
        ["fetch.max.wait.ms"] = "fetch.wait.max.ms",
    };

    // Java-only settings with no librdkafka meaning: the value is ignored, and the warning says what to use.
    private static readonly Dictionary<string, string> Ignored = new(StringComparer.Ordinal)
    {
        ["key.serializer"] = "keys and values are always bytes",
        ["value.serializer"] = "keys and values are always bytes",
        ["key.deserializer"] = "keys and values are always bytes",
        ["value.deserializer"] = "keys and values are always bytes",
        ["max.poll.records"] = "the batch size bounds each poll (batchSize)",
        ["interceptor.classes"] = "Java interceptors cannot run here; use Flume interceptors",
        ["ssl.truststore.location"] = "use ssl.ca.location with a PEM file",
        ["ssl.truststore.password"] = "use ssl.ca.location with a PEM file",
        ["ssl.truststore.type"] = "use ssl.ca.location with a PEM file",
        ["ssl.keystore.type"] = "ssl.keystore.location takes a PKCS#12 file; or use ssl.certificate.location and ssl.key.location (PEM)",
        ["ssl.protocol"] = "librdkafka negotiates the TLS version",
        ["sasl.login.callback.handler.class"] = "Java callback classes cannot run here",
        ["partitioner.class"] = "use partitioner (murmur2_random is Java's default)",
    };

    private static readonly Dictionary<string, string> Assignors = new(StringComparer.Ordinal)
    {
        ["org.apache.kafka.clients.consumer.RangeAssignor"] = "range",
        ["org.apache.kafka.clients.consumer.RoundRobinAssignor"] = "roundrobin",
        ["org.apache.kafka.clients.consumer.CooperativeStickyAssignor"] = "cooperative-sticky",
    };

    /// <summary>
    /// The librdkafka properties for <paramref name="scope"/> (the <c>kafka.producer.</c> or
    /// <c>kafka.consumer.</c> view of the component), reporting refused ones through it.
    /// </summary>
    public static Dictionary<string, string> Read(ComponentContext scope)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in scope.GetPrefixed(""))
        {
            if (Ignored.TryGetValue(key, out var instead))
            {
                scope.Warning(key, $"not supported by librdkafka and ignored: {instead}");
                continue;
            }
            switch (key)
            {
                case "buffer.memory":
                    if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes >= 1024)
                    {
                        result["queue.buffering.max.kbytes"] = (bytes / 1024).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        scope.Error(key, $"'{value}' is not a byte count of at least 1024");
                    }
                    break;
                case "sasl.jaas.config":
                    ReadJaas(scope, key, value, result);
                    break;
                case "partition.assignment.strategy":
                    result[key] = string.Join(",", value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(a => Assignors.GetValueOrDefault(a, a)));
                    break;
                default:
                    result[Renamed.GetValueOrDefault(key, key)] = value;
                    break;
            }
        }
        KafkaKerberosRefusal.Check(scope, result);
        return result;
    }

    // PLAIN and SCRAM logins carry the user and password in a JAAS line; librdkafka wants them as properties.
    private static void ReadJaas(ComponentContext scope, string key, string value, Dictionary<string, string> result)
    {
        var username = JaasOption("username").Match(value);
        var password = JaasOption("password").Match(value);
        if (!username.Success || !password.Success)
        {
            scope.Error(key, "only a JAAS line with username=\"…\" and password=\"…\" (PLAIN or SCRAM) can be used; Kerberos is not supported, and for OAuth set librdkafka's sasl.oauthbearer.* properties instead");
            return;
        }
        result["sasl.username"] = username.Groups[1].Value;
        result["sasl.password"] = password.Groups[1].Value;
    }

    private static Regex JaasOption(string name) => name == "username" ? JaasUsername() : JaasPassword();

    [GeneratedRegex("""\busername\s*=\s*"([^"]*)"\s*""")]
    private static partial Regex JaasUsername();

    [GeneratedRegex("""\bpassword\s*=\s*"([^"]*)"\s*""")]
    private static partial Regex JaasPassword();
}
