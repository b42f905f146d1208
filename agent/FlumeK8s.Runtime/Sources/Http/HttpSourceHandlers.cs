using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>The handlers the <c>handler</c> property can name: a short alias or Flume's class name.</summary>
internal static class HttpSourceHandlers
{
    public const string JsonClassName = "org.apache.flume.source.http.JSONHandler";
    public const string BlobClassName = "org.apache.flume.sink.solr.morphline.BlobHandler";

    private static readonly (string Alias, string ClassName, Func<ComponentContext, IHttpSourceHandler> Create)[] Known =
    [
        ("json", JsonClassName, _ => new JsonHandler()),
        ("blob", BlobClassName, handler => new BlobHandler(BlobHandlerSettings.Read(handler))),
    ];

    /// <summary>Reads <c>handler</c> and the chosen handler's <c>handler.*</c> properties.</summary>
    public static IHttpSourceHandler Read(ComponentContext context)
    {
        var name = context.GetString("handler", JsonClassName);
        foreach (var (alias, className, create) in Known)
        {
            if (string.Equals(name, alias, StringComparison.OrdinalIgnoreCase) || string.Equals(name, className, StringComparison.Ordinal))
            {
                return create(context.Scope("handler."));
            }
        }
        context.Error("handler", $"unknown handler '{name}'; known handlers: {string.Join(", ", Known.Select(k => $"{k.Alias} ({k.ClassName})"))}");
        return new JsonHandler();
    }
}
