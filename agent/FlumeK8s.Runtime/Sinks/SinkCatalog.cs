using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sinks.FileRoll;
using FlumeK8s.Runtime.Sinks.Logger;
using FlumeK8s.Runtime.Sinks.Null;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>The sink types the configuration can name.</summary>
public static class SinkCatalog
{
    public static IReadOnlyList<ComponentType<SinkPlan>> All { get; } =
    [
        new("null", context =>
        {
            var batchSize = context.GetInt("batchSize", 100, min: 1);
            var logEvery = context.GetLong("logEveryNEvents", 10000, min: 0);
            return new SinkPlan(b => new NullSink(b.Name, b.Channel, batchSize, logEvery, b.Services.Logs.CreateLogger<NullSink>()), batchSize);
        }, "org.apache.flume.sink.NullSink"),
        new("logger", context =>
        {
            var batchSize = context.GetInt("batchSize", 100, min: 1);
            var maxBytes = context.GetInt("maxBytesToLog", 16, min: 0);
            return new SinkPlan(b => new LoggerSink(b.Name, b.Channel, batchSize, maxBytes, b.Services.Logs.CreateLogger<LoggerSink>()), batchSize);
        }, "org.apache.flume.sink.LoggerSink"),
        new("file_roll", context =>
        {
            var settings = FileRollSinkSettings.Read(context);
            return new SinkPlan(b => new FileRollSink(b.Name, b.Channel, settings, b.Services.Time, b.Services.Logs.CreateLogger<FileRollSink>()),
                settings.BatchSize, FileRollSinkSettings.BatchSizeKey);
        }, "org.apache.flume.sink.RollingFileSink"),
        Hops.Avro.AvroSinkType.Type,
        Hops.Grpc.GrpcSinkType.Type,
        Hdfs.HdfsSinkType.Type,
        Kafka.KafkaSinkType.Type,
    ];
}
