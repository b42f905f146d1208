using System.Buffers;

namespace FlumeK8s.Plugins;

/// <summary>
/// How a file-writing sink (<c>file_roll</c>'s <c>sink.serializer</c>, <c>hdfs</c>'s <c>serializer</c> with
/// <c>hdfs.fileType = DataStream</c> or <c>CompressedStream</c>) turns an event into bytes. Constructor:
/// <c>(IComponentSettings settings)</c> over the serializer's own keys (<c>sink.serializer.*</c>,
/// <c>serializer.*</c>), or none. One instance per open file; called for every event, so write into
/// the output without allocating. No I/O: the sink writes and flushes.
/// </summary>
public interface IEventSerializerPlugin
{
    void Write(IEvent @event, IBufferWriter<byte> output);
}
