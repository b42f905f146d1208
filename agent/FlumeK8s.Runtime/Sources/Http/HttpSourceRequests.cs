using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Serves one request as Flume's HTTP source does: the handler turns it into events, which go to
/// the channel in one transaction (several when they are more than its transactionCapacity, see
/// <see cref="ChannelProcessor"/>) through the source's <see cref="RequestDelivery"/>, and the
/// outcome is answered as <see cref="HttpDeliveryReply"/> says. A refused request keeps the status
/// code its reader gave (400, 413, 408, ...); 503 means a channel refused the batch (the client
/// should retry; parts committed before the refusal are then written again). Only POST is accepted
/// (Flume also serves GET as POST).
/// </summary>
internal sealed class HttpSourceRequests(IHttpSourceHandler handler, long maxRequestBodyBytes, RequestDelivery delivery)
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
        var outcome = await delivery.DeliverAsync(events, DeliveryCall.AppendBatch, cancellationToken).ConfigureAwait(false);
        if (outcome.IsCommitted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        await ReplyAsync(response, HttpDeliveryReply.StatusCode(outcome.Status), HttpDeliveryReply.Message(outcome), cancellationToken).ConfigureAwait(false);
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
            var outcome = delivery.Fail(Remote(context), e);
            await ReplyAsync(context.Response, StatusCodes.Status500InternalServerError, "Deserializer threw unexpected exception. " + outcome.Reason, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private async Task RefuseAsync(HttpContext context, int statusCode, string reason, CancellationToken cancellationToken)
    {
        var outcome = delivery.Refuse(HttpDeliveryReply.RefusalStatus(statusCode), Remote(context), reason);
        await ReplyAsync(context.Response, statusCode, HttpDeliveryReply.Message(outcome), cancellationToken).ConfigureAwait(false);
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static Task ReplyAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message + "\n", cancellationToken);
    }
}
