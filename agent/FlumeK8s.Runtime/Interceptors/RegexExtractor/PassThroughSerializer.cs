namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>The default serializer: the captured text as it is.</summary>
internal sealed class PassThroughSerializer : IExtractorSerializer
{
    public static PassThroughSerializer Instance { get; } = new();

    public string? Serialize(string value) => value;
}
