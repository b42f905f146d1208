using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>
/// SASL/GSSAPI is refused when the configuration is loaded, for every Kafka component and both
/// client scopes, with the full key and its line: the shipped librdkafka has no Kerberos.
/// </summary>
public sealed class KafkaKerberosRefusalTests
{
    // A Kafka source feeding a Kafka channel drained by a Kafka sink; {0} is appended at the end.
    private const string Flow = """
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource
        a1.sources.r1.channels = c1
        a1.sources.r1.kafka.bootstrap.servers = b:9092
        a1.sources.r1.kafka.topics = in
        a1.channels.c1.type = kafka
        a1.channels.c1.kafka.bootstrap.servers = b:9092
        a1.sinks.k1.type = kafka
        a1.sinks.k1.channel = c1
        a1.sinks.k1.kafka.bootstrap.servers = b:9092
        """;

    private static IReadOnlyList<ConfigProblem> Errors(params string[] extra) =>
        new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default)
            .Load(Flow + "\n" + string.Join("\n", extra)).Problems.Errors;

    [Theory]
    [InlineData("a1.sources.r1.kafka.consumer.sasl.mechanism")]
    [InlineData("a1.channels.c1.kafka.producer.sasl.mechanism")]
    [InlineData("a1.channels.c1.kafka.consumer.sasl.mechanism")]
    [InlineData("a1.sinks.k1.kafka.producer.sasl.mechanism")]
    [InlineData("a1.sinks.k1.kafka.producer.sasl.mechanisms")]
    public void Load_GssapiMechanism_ErrorNamesTheComponentsPropertyAndLine(string key)
    {
        var problem = Assert.Single(Errors($"{key} = GSSAPI"));

        Assert.Equal(key, problem.Key);
        Assert.Equal(13, problem.Line);
        Assert.Contains("GSSAPI (Kerberos) is not supported", problem.Message, StringComparison.Ordinal);
        Assert.Contains("SCRAM-SHA-512", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SaslProtocolWithoutMechanism_ErrorOnTheProtocolSinceKafkaDefaultsToGssapi()
    {
        var problem = Assert.Single(Errors("a1.sinks.k1.kafka.producer.security.protocol = SASL_SSL"));

        Assert.Equal("a1.sinks.k1.kafka.producer.security.protocol", problem.Key);
        Assert.Contains("without sasl.mechanism means GSSAPI", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KerberosJaasLine_ErrorSaysKerberosIsNotSupported()
    {
        var problem = Assert.Single(Errors(
            "a1.sources.r1.kafka.consumer.sasl.jaas.config = com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;"));

        Assert.Equal("a1.sources.r1.kafka.consumer.sasl.jaas.config", problem.Key);
        Assert.Contains("Kerberos is not supported", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SASL_SSL", "SCRAM-SHA-512")]
    [InlineData("SASL_PLAINTEXT", "PLAIN")]
    [InlineData("SASL_SSL", "OAUTHBEARER")]
    public void Load_SaslWithAnotherMechanism_Accepted(string protocol, string mechanism)
    {
        Assert.Empty(Errors(
            $"a1.sinks.k1.kafka.producer.security.protocol = {protocol}",
            $"a1.sinks.k1.kafka.producer.sasl.mechanism = {mechanism}",
            $"a1.sources.r1.kafka.consumer.security.protocol = {protocol}",
            $"a1.sources.r1.kafka.consumer.sasl.mechanism = {mechanism}"));
    }

    [Fact]
    public void Load_NoSasl_Accepted() => Assert.Empty(Errors("a1.sinks.k1.kafka.producer.security.protocol = SSL"));
}
