using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>AvroSourceProtocol</c> as compact JSON, and its MD5, which is what the Avro
/// handshake compares. Flume releases hash differently (their text carries a doc string that
/// changed), so a peer is recognised by what its protocol declares, not by one fixed hash.
/// </summary>
public static class AvroSourceProtocol
{
    public const string AppendMessage = "append";
    public const string AppendBatchMessage = "appendBatch";

    /// <summary>How the avro source's error reply to a frame over its max-frame-size begins: the
    /// avro sink recognises it and sends the batch again in smaller parts.</summary>
    public const string FrameTooLargeError = "Frame over max-frame-size";

    public const string Json =
        """{"protocol":"AvroSourceProtocol","namespace":"org.apache.flume.source.avro","types":[""" +
        """{"type":"enum","name":"Status","symbols":["OK","FAILED","UNKNOWN"]},""" +
        """{"type":"record","name":"AvroFlumeEvent","fields":[{"name":"headers","type":{"type":"map","values":"string"}},{"name":"body","type":"bytes"}]}]""" +
        ""","messages":{"append":{"request":[{"name":"event","type":"AvroFlumeEvent"}],"response":"Status"}""" +
        ""","appendBatch":{"request":[{"name":"events","type":{"type":"array","items":"AvroFlumeEvent"}}],"response":"Status"}}}""";

    public static byte[] Hash { get; } = MD5.HashData(Encoding.UTF8.GetBytes(Json));

    /// <summary>
    /// The messages a peer's protocol text declares, when it is an Avro protocol declaring
    /// append and appendBatch; otherwise null and why not.
    /// </summary>
    public static IReadOnlySet<string>? TryReadMessages(string protocolText, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(protocolText);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("protocol", out var name) || name.ValueKind != JsonValueKind.String)
            {
                problem = "it is not an Avro protocol (no \"protocol\" name)";
                return null;
            }
            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Object)
            {
                problem = $"protocol {name.GetString()} declares no messages";
                return null;
            }
            var declared = messages.EnumerateObject().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            if (!declared.Contains(AppendMessage) || !declared.Contains(AppendBatchMessage))
            {
                problem = $"protocol {name.GetString()} does not declare both {AppendMessage} and {AppendBatchMessage}";
                return null;
            }
            problem = null;
            return declared;
        }
        catch (JsonException e)
        {
            problem = $"it is not JSON: {e.Message}";
            return null;
        }
    }
}
