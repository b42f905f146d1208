using System.Text.Json;
using Avro;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>AvroSourceProtocol</c>, parsed by Apache.Avro: its text as Avro renders it, and the
/// MD5 of that text, which is what the Avro handshake compares. Flume releases hash differently
/// (their text carries a doc string that changed), so a peer is recognised by what its protocol
/// declares, not by one fixed hash.
/// </summary>
public static class AvroSourceProtocol
{
    public const string AppendMessage = "append";
    public const string AppendBatchMessage = "appendBatch";

    /// <summary>How the avro source's error reply to a frame over its max-frame-size begins: the
    /// avro sink recognises it and sends the batch again in smaller parts.</summary>
    public const string FrameTooLargeError = "Frame over max-frame-size";

    private static readonly Protocol Parsed = Protocol.Parse(
        """{"protocol":"AvroSourceProtocol","namespace":"org.apache.flume.source.avro","types":[""" +
        """{"type":"enum","name":"Status","symbols":["OK","FAILED","UNKNOWN"]},""" +
        """{"type":"record","name":"AvroFlumeEvent","fields":[{"name":"headers","type":{"type":"map","values":"string"}},{"name":"body","type":"bytes"}]}]""" +
        ""","messages":{"append":{"request":[{"name":"event","type":"AvroFlumeEvent"}],"response":"Status"}""" +
        ""","appendBatch":{"request":[{"name":"events","type":{"type":"array","items":"AvroFlumeEvent"}}],"response":"Status"}}}""");

    /// <summary>The protocol text a handshake sends: Avro's compact rendering, the text <see cref="Hash"/> is taken over.</summary>
    public static string Json { get; } = Parsed.ToString();

    public static byte[] Hash { get; } = Parsed.MD5;

    /// <summary>The <c>AvroFlumeEvent</c> record the messages carry.</summary>
    internal static RecordSchema EventSchema { get; } = (RecordSchema)Parsed.Types.Single(t => t.Name == "AvroFlumeEvent");

    /// <summary>
    /// The messages a peer's protocol text declares, when it is an Avro protocol declaring
    /// append and appendBatch; otherwise null and why not.
    /// </summary>
    public static IReadOnlySet<string>? TryReadMessages(string protocolText, out string? problem)
    {
        try
        {
            // Apache.Avro's parser words text that is not JSON badly (and once with a
            // NullReferenceException): told apart first, so the peer hears what was wrong.
            using var _ = JsonDocument.Parse(protocolText);
        }
        catch (JsonException e)
        {
            problem = $"it is not JSON: {e.Message}";
            return null;
        }
        Protocol protocol;
        try
        {
            protocol = Protocol.Parse(protocolText);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The peer's text is untrusted, and the parser reports a malformed protocol with
            // whatever its JSON walk hits (AvroException, InvalidCastException, ...): every one is a refusal.
            problem = $"it is not an Avro protocol: {e.Message}";
            return null;
        }
        var declared = protocol.Messages.Keys.ToHashSet(StringComparer.Ordinal);
        if (!declared.Contains(AppendMessage) || !declared.Contains(AppendBatchMessage))
        {
            problem = $"protocol {protocol.Name} does not declare both {AppendMessage} and {AppendBatchMessage}";
            return null;
        }
        problem = null;
        return declared;
    }
}
