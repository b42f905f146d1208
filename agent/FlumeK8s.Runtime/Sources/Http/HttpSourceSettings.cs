using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// The http source's properties, with Flume's names and defaults; the handler is built from
/// <c>handler</c> and <c>handler.*</c>. <c>maxRequestBodyBytes</c> is ours: Flume's Jetty takes
/// bodies of any size, which lets one client exhaust the agent's memory.
/// </summary>
public sealed record HttpSourceSettings(string Bind, int Port, IHttpSourceHandler Handler, long MaxRequestBodyBytes)
{
    /// <summary>Large batches fit; a body that would take the agent's memory with it does not.</summary>
    public const long DefaultMaxRequestBodyBytes = 32 * 1024 * 1024;

    public static HttpSourceSettings Read(ComponentContext context)
    {
        if (context.GetBool("ssl", false))
        {
            // Serving plain HTTP to a client that was configured for TLS would be worse than refusing to start.
            context.Error("ssl", "TLS is not supported by the http source; terminate TLS in front of the agent (ingress or service mesh)");
        }
        return new HttpSourceSettings(
            context.GetString("bind", "0.0.0.0"),
            context.RequireInt("port", min: 0, max: 65535),
            HttpSourceHandlers.Read(context),
            context.GetLong("maxRequestBodyBytes", DefaultMaxRequestBodyBytes, min: 1, max: Array.MaxLength));
    }
}
