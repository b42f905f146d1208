using System.Buffers;
using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Serialization;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>A plugin's <see cref="IEventSerializerPlugin"/> where file_roll and hdfs use a serializer; the event passes as it is.</summary>
internal sealed class PluginEventSerializer(IEventSerializerPlugin plugin) : IEventSerializer
{
    public void Write(Event @event, IBufferWriter<byte> output) => plugin.Write(@event, output);
}
