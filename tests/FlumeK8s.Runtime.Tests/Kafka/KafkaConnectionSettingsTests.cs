using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Sinks.Kafka;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Kafka;

public sealed class KafkaConnectionSettingsTests
{
    [Fact]
    public void Read_SinkDefaults_IdempotentWithShortLingerAndLeanReports()
    {
        var (context, problems) = TestPipeline.Context("kafka.bootstrap.servers=b:9092");

        var producer = KafkaConnectionSettings.Read(context, producerDefaults: KafkaSinkSettings.ProducerDefaults).Producer;

        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        Assert.Equal("all", producer["acks"]);
        Assert.Equal("true", producer["enable.idempotence"]);
        Assert.Equal("1", producer["linger.ms"]);
        Assert.Equal("none", producer["dotnet.producer.delivery.report.fields"]);
        Assert.Equal("b:9092", producer["bootstrap.servers"]);
    }

    [Fact]
    public void Read_ProducerPropertiesSet_UserValuesWin()
    {
        var (context, problems) = TestPipeline.Context(
            "kafka.bootstrap.servers=b:9092", "kafka.producer.linger.ms=20", "kafka.producer.dotnet.producer.delivery.report.fields=all");

        var producer = KafkaConnectionSettings.Read(context, producerDefaults: KafkaSinkSettings.ProducerDefaults).Producer;

        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        Assert.Equal("20", producer["linger.ms"]);
        Assert.Equal("all", producer["dotnet.producer.delivery.report.fields"]);
    }

    [Fact]
    public void Read_NoComponentDefaults_SendsAtOnceAsFlumesJavaProducer()
    {
        var (context, _) = TestPipeline.Context("kafka.bootstrap.servers=b:9092");

        Assert.Equal("0", KafkaConnectionSettings.Read(context).Producer["linger.ms"]);
    }
}
