using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sinks.Serialization;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>The serializer classes of the loaded plugins, as file_roll and hdfs look a serializer name up.</summary>
internal sealed class PluginSerializers(IReadOnlyList<PluginType> types) : ISerializerCatalog
{
    public Func<IEventSerializer>? Resolve(string name, ComponentContext serializerKeys, Action<string> report)
    {
        var type = types.FirstOrDefault(t => t.Matches(name));
        if (type is null)
        {
            return null;
        }
        type.Validate<IEventSerializerPlugin>(serializerKeys, counting: false, report);
        var keys = serializerKeys.Detached();
        var context = new PluginComponentContext(serializerKeys.Name, "", TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, counter: null);
        return () => new PluginEventSerializer(type.Create<IEventSerializerPlugin>(new PluginSettings(keys.Detached()), context));
    }
}
