using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// Refuses SASL/GSSAPI (Kerberos) at configuration time. The librdkafka that Confluent.Kafka loads on
/// Debian 12 is built without it (the redist's Kerberos-capable build needs Red Hat's libsasl2.so.3),
/// so such a client would only fail at its first connection, far from the property that asked for it.
/// </summary>
internal static class KafkaKerberosRefusal
{
    private const string Instead = "use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER";

    // sasl.mechanism is the Java client's name, sasl.mechanisms librdkafka's; both reach librdkafka.
    private static readonly string[] MechanismKeys = ["sasl.mechanism", "sasl.mechanisms"];

    /// <summary>Reports an error on <paramref name="scope"/> when <paramref name="properties"/> would make the client log in with Kerberos.</summary>
    public static void Check(ComponentContext scope, IReadOnlyDictionary<string, string> properties)
    {
        var mechanismKey = Array.Find(MechanismKeys, properties.ContainsKey);
        if (mechanismKey is not null)
        {
            if (string.Equals(properties[mechanismKey].Trim(), "GSSAPI", StringComparison.OrdinalIgnoreCase))
            {
                scope.Error(mechanismKey, $"SASL mechanism GSSAPI (Kerberos) is not supported: the agent's librdkafka is built without it; {Instead}");
            }
            return;
        }
        // Both the Java client and librdkafka default to GSSAPI when SASL is on and no mechanism is named.
        if (properties.TryGetValue("security.protocol", out var protocol) && protocol.Trim().StartsWith("SASL_", StringComparison.OrdinalIgnoreCase))
        {
            scope.Error("security.protocol", $"{protocol} without sasl.mechanism means GSSAPI (Kerberos), which is not supported: the agent's librdkafka is built without it; set sasl.mechanism: {Instead}");
        }
    }
}
