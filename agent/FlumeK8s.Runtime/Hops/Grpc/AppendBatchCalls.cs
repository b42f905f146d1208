using System.IO.Pipelines;
using FlumeK8s.Runtime.Sources.Delivery;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Wraps every request to the hop port except health checks: gives the call its share of the
/// in-flight budget (held until the answer is written, so after the commit) and counts, as
/// EventReadFail with a warning, every call refused before its batch reached the channels
/// (malformed, oversized, not gRPC, over the budget, past its deadline while arriving).
/// </summary>
internal sealed class AppendBatchCalls(GrpcMessageBudget budget, int maxMessageBytes, RequestDelivery delivery)
{
    private const string HealthPrefix = "/grpc.health.v1.Health/";

    /// <summary>Tells the wrapper that the batch was read and handed on: its outcome is counted there.</summary>
    public static void MarkServed(ServerCallContext context)
    {
        if (context.GetHttpContext().Features.Get<ServedMark>() is { } mark)
        {
            mark.Served = true;
        }
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(HealthPrefix.TrimEnd('/'), StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        using var lease = budget.Lease();
        var mark = new ServedMark();
        context.Features.Set(mark);
        if (context.Features.Get<IRequestBodyPipeFeature>() is { } body)
        {
            context.Features.Set<IRequestBodyPipeFeature>(new BudgetedBodyFeature(new BudgetedRequestBody(body.Reader, lease, maxMessageBytes)));
        }
        GrpcMessageLease.Current = lease;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            GrpcMessageLease.Current = null;
        }
        if (!mark.Served && Refusal(context) is { } refusal)
        {
            // Over a limit (the message's size, the in-flight budget) or unreadable: either way the
            // batch never reached the channels, and the sender is told which by the status.
            var status = refusal.Status == nameof(StatusCode.ResourceExhausted) ? DeliveryStatus.TooLarge : DeliveryStatus.Malformed;
            delivery.Refuse(status, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", $"{refusal.Status}: {refusal.Message}");
        }
    }

    private static (string Status, string Message)? Refusal(HttpContext context)
    {
        var response = context.Response;
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var status = First(response.Headers["grpc-status"]) ?? (trailers is null ? null : First(trailers["grpc-status"]));
        var message = First(response.Headers["grpc-message"]) ?? (trailers is null ? null : First(trailers["grpc-message"])) ?? "";
        if (response.StatusCode != StatusCodes.Status200OK)
        {
            return ($"HTTP {response.StatusCode}", Uri.UnescapeDataString(message));
        }
        if (status is null or "0")
        {
            return null;
        }
        var name = int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? ((StatusCode)code).ToString()
            : status;
        return (name, Uri.UnescapeDataString(message));
    }

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    private sealed class ServedMark
    {
        public bool Served { get; set; }
    }

    private sealed class BudgetedBodyFeature(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }
}
