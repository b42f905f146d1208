using System.Buffers;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>Turns one event into the bytes a rolled file holds for it. Does no I/O.</summary>
internal interface IFileRollSerializer
{
    void Write(Event @event, IBufferWriter<byte> output);
}
