using System.Buffers;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>
/// Turns the events of one file into its bytes: a header when the file is created, each event,
/// and whatever must be written at the end of a batch so that the bytes flushed so far form a
/// readable file. One instance per file; does no I/O.
/// </summary>
internal interface IFileEncoder
{
    void WriteFileHeader(IBufferWriter<byte> output);

    void Write(Event @event, IBufferWriter<byte> output);

    void EndBatch(IBufferWriter<byte> output);
}
