using System.Text;

namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>The lines the netcat source answers with, encoded once per source in the connection's encoding.</summary>
internal sealed class NetcatReplies(int maxLineLength, Encoding encoding)
{
    public byte[] Ok { get; } = encoding.GetBytes("OK\n");

    public byte[] TooLong { get; } = encoding.GetBytes($"FAILED: Event exceeds the maximum length ({maxLineLength} chars, including newline)\n");

    /// <summary>Flume's failure reply; the reason is kept on one line so the reply stays one line.</summary>
    public byte[] Failed(string reason) => encoding.GetBytes($"FAILED: {reason.ReplaceLineEndings(" ")}\n");
}
