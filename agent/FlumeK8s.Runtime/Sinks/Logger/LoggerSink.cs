using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Logger;

/// <summary>Logs each event at INFO the way Flume does: headers, then up to <c>maxBytesToLog</c> body bytes in hex and text.</summary>
public sealed partial class LoggerSink(string name, IChannel channel, int batchSize, int maxBytesToLog, ILogger logger)
    : BatchSink(name, "logger", channel, batchSize)
{
    // Batches in flight are logged in the order they were taken.
    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        await WaitForTurnAsync(batch, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var @event in batch)
            {
                LogEvent(logger, Describe(@event, maxBytesToLog));
            }
        }
        finally
        {
            EndTurn(batch);
        }
    }

    public static string Describe(Event @event, int maxBytesToLog)
    {
        var body = @event.Body.AsSpan(0, Math.Min(@event.Body.Length, maxBytesToLog));
        var text = new StringBuilder("Event: { headers:{");
        text.AppendJoin(", ", @event.HeadersOrEmpty.Select(h => $"{h.Key}={h.Value}"));
        text.Append("} body: ");
        foreach (var b in body)
        {
            text.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
        }
        text.Append("  ");
        foreach (var b in body)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }
        return text.Append(" }").ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Event}")]
    private static partial void LogEvent(ILogger logger, string @event);
}
