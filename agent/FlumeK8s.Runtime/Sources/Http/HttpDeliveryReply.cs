using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// How the HTTP source answers a <see cref="DeliveryOutcome"/>, worded as Flume's HTTPSource
/// words it: 200 written; 503 a channel refused (the client should retry); 500 the agent failed;
/// 400 the request could not be read; 413 it was too large.
/// </summary>
internal static class HttpDeliveryReply
{
    public static int StatusCode(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Committed => StatusCodes.Status200OK,
        DeliveryStatus.ChannelFull or DeliveryStatus.ChannelUnavailable => StatusCodes.Status503ServiceUnavailable,
        DeliveryStatus.Malformed => StatusCodes.Status400BadRequest,
        DeliveryStatus.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The status for a request refused before delivery: 413 means too large, any other code a request that could not be read.</summary>
    public static DeliveryStatus RefusalStatus(int statusCode) =>
        statusCode == StatusCodes.Status413PayloadTooLarge ? DeliveryStatus.TooLarge : DeliveryStatus.Malformed;

    public static string Message(DeliveryOutcome outcome) => outcome.Status switch
    {
        DeliveryStatus.ChannelFull or DeliveryStatus.ChannelUnavailable => "Error appending event to channel. Channel might be full. " + outcome.Reason,
        DeliveryStatus.Malformed or DeliveryStatus.TooLarge => "Bad request from client. " + outcome.Reason,
        _ => "Unexpected error while appending event to channel. " + outcome.Reason,
    };
}
