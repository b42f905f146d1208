using FlumeK8s.Runtime.Events;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>Turns one HTTP request into the events of one channel transaction (Flume's HTTPSourceHandler).</summary>
public interface IHttpSourceHandler
{
    /// <summary>
    /// Reads the request. Throws <see cref="HttpSourceRequestException"/> for a request that cannot
    /// become events; the client gets its status code and message and nothing is written.
    /// </summary>
    Task<List<Event>> GetEventsAsync(HttpRequest request, CancellationToken cancellationToken);
}
