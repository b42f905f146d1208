using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Serves AppendBatch calls: one request carries one EventBatch, which goes to the channels in one
/// <see cref="ChannelProcessor.ProcessBatchAsync"/>; the Ack (status OK) is sent only after that
/// committed, so a sender that sees OK may commit its own take. A malformed or oversized request is
/// answered before anything is written; a full channel (RESOURCE_EXHAUSTED) or a failing one
/// (UNAVAILABLE) kept nothing of a batch within its transactionCapacity. A larger batch is
/// committed in parts, and parts committed before a refusal come again with the sender's retry
/// (at least once).
/// </summary>
internal sealed partial class GrpcSourceCalls(
    GrpcSourceSettings settings, ChannelProcessor processor, SourceCounter counter, TimeProvider time, ILogger logger)
{
    private readonly GrpcMessageBudget _budget = new(settings.MaxInFlightBytes);

    /// <summary>Bytes of request messages held by the calls in progress.</summary>
    public long InFlightBytes => _budget.InUse;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            Refuse(response, StatusCodes.Status405MethodNotAllowed, $"method {request.Method} is not allowed: gRPC calls are POST");
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            Refuse(response, StatusCodes.Status415UnsupportedMediaType, $"content type '{request.ContentType}' is not supported: gRPC needs {GrpcProtocol.ContentType}");
            return;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            Refuse(response, StatusCodes.Status426UpgradeRequired, $"{request.Protocol} is not supported: gRPC needs HTTP/2");
            return;
        }
        response.ContentType = GrpcProtocol.ContentType;
        if (!string.Equals(request.Path.Value, GrpcProtocol.AppendBatchPath, StringComparison.Ordinal))
        {
            WriteStatus(response, GrpcStatusCode.Unimplemented, $"method {request.Path.Value} is not implemented; this server serves {GrpcProtocol.AppendBatchPath}");
            return;
        }
        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString() is { Length: > 0 } e ? e : null;
        if (!GrpcProtocol.IsSupportedEncoding(encoding))
        {
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            WriteStatus(response, GrpcStatusCode.Unimplemented, $"message encoding '{encoding}' is not supported (supported: {GrpcProtocol.SupportedEncodings})");
            return;
        }
        using var deadline = GrpcTimeout.Parse(request.Headers[GrpcProtocol.TimeoutHeader]) is { } timeout
            ? new CancellationTokenSource(timeout, time)
            : new CancellationTokenSource();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        try
        {
            await ServeAsync(context, encoding, call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or reset the stream): there is no one left to answer.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            WriteStatus(response, GrpcStatusCode.DeadlineExceeded, "the call's deadline passed before the batch was committed");
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Same as above: the request stream broke because the client left.
        }
    }

    private async Task ServeAsync(HttpContext context, string? encoding, CancellationToken cancellationToken)
    {
        var response = context.Response;
        // Held until the batch is committed: its events take about as much as the message did.
        using var lease = _budget.Lease();
        var events = await ReadBatchAsync(context, encoding, lease, cancellationToken).ConfigureAwait(false);
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
        catch (ChannelFullException e)
        {
            counter.IncrementChannelWriteFail();
            LogChannelFull(logger, count, e.Message);
            WriteStatus(response, GrpcStatusCode.ResourceExhausted, "the channel is full; retry later: " + e.Message);
            return;
        }
        catch (ChannelException e)
        {
            counter.IncrementChannelWriteFail();
            LogChannelRefused(logger, count, e.Message);
            WriteStatus(response, GrpcStatusCode.Unavailable, "the channel refused the batch: " + e.Message);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            counter.IncrementGenericProcessingFail();
            LogAppendFailed(logger, e);
            WriteStatus(response, GrpcStatusCode.Internal, "unexpected error while appending the batch: " + e.Message);
            return;
        }
        counter.IncrementAppendBatchAccepted();
        counter.AddEventsAccepted(count);
        var ack = GrpcFrame.Write(new Proto.Ack { Accepted = (uint)count }, gzip: false);
        await response.Body.WriteAsync(ack, cancellationToken).ConfigureAwait(false);
        response.AppendTrailer(GrpcProtocol.StatusHeader, "0");
    }

    /// <summary>The request's events, or null when the request was refused with a status instead.</summary>
    private async Task<List<Event>?> ReadBatchAsync(HttpContext context, string? encoding, GrpcMessageLease lease, CancellationToken cancellationToken)
    {
        try
        {
            var body = context.Request.Body;
            var message = await GrpcFrame.ReadAsync(body, encoding, settings.MaxMessageBytes, lease, cancellationToken).ConfigureAwait(false)
                ?? throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, "the request carries no message");
            if (await body.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
            {
                throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, "AppendBatch is unary: the request carries more than one message");
            }
            return EventBatchCodec.ToEvents(Proto.EventBatch.Parser.ParseFrom(message));
        }
        catch (GrpcStatusException e)
        {
            RefuseCall(context, e.Status, e.Detail);
        }
        catch (InvalidProtocolBufferException e)
        {
            RefuseCall(context, GrpcStatusCode.InvalidArgument, "the message is not a valid EventBatch: " + e.Message);
        }
        return null;
    }

    private void RefuseCall(HttpContext context, GrpcStatusCode status, string reason)
    {
        counter.IncrementEventReadFail();
        LogBadRequest(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", status, reason);
        WriteStatus(context.Response, status, reason);
    }

    /// <summary>A request that is not a gRPC call at all: an HTTP error, with a gRPC status too for gRPC clients that look.</summary>
    private void Refuse(HttpResponse response, int httpStatus, string reason)
    {
        counter.IncrementEventReadFail();
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)GrpcStatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(reason);
        LogNotGrpc(logger, httpStatus, reason);
    }

    /// <summary>
    /// Ends the call with <paramref name="status"/>: as a trailers-only response (status in the only
    /// HEADERS frame) when nothing was sent yet, else in the trailers.
    /// </summary>
    private static void WriteStatus(HttpResponse response, GrpcStatusCode status, string message)
    {
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var encoded = GrpcProtocol.EncodeMessage(message);
        if (!response.HasStarted)
        {
            response.Headers[GrpcProtocol.StatusHeader] = code;
            response.Headers[GrpcProtocol.MessageHeader] = encoded;
            return;
        }
        response.AppendTrailer(GrpcProtocol.StatusHeader, code);
        response.AppendTrailer(GrpcProtocol.MessageHeader, encoded);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC source refused a call from {Remote} with {Status}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string remote, GrpcStatusCode status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC source answered a non-gRPC request with HTTP {HttpStatus}: {Reason}")]
    private static partial void LogNotGrpc(ILogger logger, int httpStatus, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel full: refused a batch of {Count} events with RESOURCE_EXHAUSTED: {Reason}")]
    private static partial void LogChannelFull(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel refused a batch of {Count} events; answered UNAVAILABLE: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC source failed to append a batch unexpectedly; answered INTERNAL")]
    private static partial void LogAppendFailed(ILogger logger, Exception error);
}
