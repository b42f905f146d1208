using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sinks.Serialization;

/// <summary>
/// Serializers beyond the built-in ones that file_roll and hdfs can name (plugins): given the name a
/// sink's configuration uses and the serializer's own keys, how to make one for each file, or null
/// when the name is none of them. A serializer that cannot be built is reported through <c>report</c>.
/// </summary>
internal interface ISerializerCatalog
{
    Func<IEventSerializer>? Resolve(string name, ComponentContext serializerKeys, Action<string> report);
}
