namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>Turns one captured group into a header value (Flume's RegexExtractorInterceptorSerializer).</summary>
internal interface IExtractorSerializer
{
    /// <summary>The header value, or null when <paramref name="value"/> cannot be serialized.</summary>
    string? Serialize(string value);
}
