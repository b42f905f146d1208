using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sinks.FileRoll;
using FlumeK8s.Runtime.Sinks.Logger;
using FlumeK8s.Runtime.Sinks.Null;
using FlumeK8s.Runtime.Sinks.Serialization;
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
            return new SinkPlan(b => new NullSink(b.Name, b.Channel, batchSize, logEvery, b.Services.Logs.CreateLogger<NullSink>()), batchSize, BatchesMayOverlap: true);
        }, "org.apache.flume.sink.NullSink"),
        new("logger", context =>
        {
            var batchSize = context.GetInt("batchSize", 100, min: 1);
            var maxBytes = context.GetInt("maxBytesToLog", 16, min: 0);
            return new SinkPlan(b => new LoggerSink(b.Name, b.Channel, batchSize, maxBytes, b.Services.Logs.CreateLogger<LoggerSink>()), batchSize, BatchesMayOverlap: true);
        }, "org.apache.flume.sink.LoggerSink"),
        FileRoll(serializers: null),
        Hops.Avro.AvroSinkType.Type,
        Hops.Grpc.GrpcSinkType.Type,
        Hdfs.HdfsSinkType.Create(serializers: null),
        Kafka.KafkaSinkType.Type,
    ];

    /// <summary>The <c>file_roll</c> type, with the serializers plugins add to the built-in ones.</summary>
    internal static ComponentType<SinkPlan> FileRoll(ISerializerCatalog? serializers) => new("file_roll", context =>
    {
        var settings = FileRollSinkSettings.Read(context, serializers);
        return new SinkPlan(b => new FileRollSink(b.Name, b.Channel, settings, b.Services.Time, b.Services.Logs.CreateLogger<FileRollSink>()),
            settings.BatchSize, FileRollSinkSettings.BatchSizeKey, BatchesMayOverlap: true);
    }, "org.apache.flume.sink.RollingFileSink");
}
