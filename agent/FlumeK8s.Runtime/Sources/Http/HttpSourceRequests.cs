using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Serves one request as Flume's HTTP source does: the handler turns it into events, which go to
/// the channel in one transaction (several when they are more than its transactionCapacity, see
/// <see cref="ChannelProcessor"/>). 200: written; 400: the request could not be read (nothing
/// written); 503: the channel refused the batch (the client should retry; parts committed before
/// the refusal are then written again); 500: the handler or an interceptor failed; 413: the body is
/// over maxRequestBodyBytes (or the handler's own limit). Only POST is accepted (Flume also serves
/// GET as POST).
/// </summary>
internal sealed partial class HttpSourceRequests(
    IHttpSourceHandler handler, long maxRequestBodyBytes, ChannelProcessor processor, SourceCounter counter, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            await ReplyAsync(response, StatusCodes.Status405MethodNotAllowed, $"Method {request.Method} is not allowed: send events with POST", cancellationToken).ConfigureAwait(false);
            return;
        }
        var events = await ReadEventsAsync(context, cancellationToken).ConfigureAwait(false);
        if (events is null)
        {
            return;
        }
        var count = events.Count;
        counter.IncrementAppendBatchReceived();
        counter.AddEventsReceived(count);
        try
        {
            await processor.ProcessBatchAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException e)
        {
            counter.IncrementChannelWriteFail();
            LogChannelRefused(logger, count, e.Message);
            await ReplyAsync(response, StatusCodes.Status503ServiceUnavailable, "Error appending event to channel. Channel might be full. " + e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            counter.IncrementGenericProcessingFail();
            LogAppendFailed(logger, e);
            await ReplyAsync(response, StatusCodes.Status500InternalServerError, "Unexpected error while appending event to channel. " + e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        counter.IncrementAppendBatchAccepted();
        counter.AddEventsAccepted(count);
        response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The request's events, or null when the request was answered with an error instead.</summary>
    private async Task<List<Event>?> ReadEventsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.GetEventsAsync(context.Request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpSourceRequestException e)
        {
            await RefuseAsync(context, e.StatusCode, e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var reason = $"the request body is larger than maxRequestBodyBytes ({maxRequestBodyBytes} bytes)";
            await RefuseAsync(context, e.StatusCode, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own verdict on the request, such as a body that ended early.
            await RefuseAsync(context, e.StatusCode, e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Kestrel reports some malformed bodies (a chunk size that overflows) as a plain
            // IOException; the client is still there to be told its request was bad.
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "the request body could not be read: " + e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException))
        {
            // A client that went away mid-request (IOException) is not the handler's failure: Kestrel closes it.
            counter.IncrementGenericProcessingFail();
            LogHandlerFailed(logger, e);
            await ReplyAsync(context.Response, StatusCodes.Status500InternalServerError, "Deserializer threw unexpected exception. " + e.Message, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private async Task RefuseAsync(HttpContext context, int statusCode, string reason, CancellationToken cancellationToken)
    {
        counter.IncrementEventReadFail();
        LogBadRequest(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", statusCode, reason);
        await ReplyAsync(context.Response, statusCode, "Bad request from client. " + reason, cancellationToken).ConfigureAwait(false);
    }

    private static Task ReplyAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message + "\n", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP source refused a request from {Remote} with {Status}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string remote, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel refused a batch of {Count} events from the HTTP source; answered 503: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP source handler failed unexpectedly; answered 500")]
    private static partial void LogHandlerFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP source failed to append a batch unexpectedly; answered 500")]
    private static partial void LogAppendFailed(ILogger logger, Exception error);
}
