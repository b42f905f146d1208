using FlumeK8s.Runtime.Sinks.Serialization;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>Builds a file's encoder from the sink's file type and serializer settings.</summary>
internal static class FileEncoders
{
    public static IFileEncoder Create(HdfsSinkSettings settings, TimeProvider time)
    {
        if (settings.FileType == HdfsFileType.SequenceFile)
        {
            return new SequenceFileEncoder(settings.WriteFormat, time);
        }
        if (settings.CustomSerializer is { } custom)
        {
            return new TextFileEncoder(custom());
        }
        return settings.Serializer switch
        {
            HdfsSerializerKind.AvroEvent => new AvroContainerEncoder(settings.AvroSyncIntervalBytes, settings.AvroCodec),
            HdfsSerializerKind.HeaderAndText => new TextFileEncoder(new HeaderAndBodyTextSerializer(settings.AppendNewline)),
            _ => new TextFileEncoder(new BodyTextSerializer(settings.AppendNewline)),
        };
    }
}
