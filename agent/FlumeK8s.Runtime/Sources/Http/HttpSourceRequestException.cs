using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>The client sent something a handler cannot turn into events; <see cref="StatusCode"/> is what it is answered.</summary>
public sealed class HttpSourceRequestException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
