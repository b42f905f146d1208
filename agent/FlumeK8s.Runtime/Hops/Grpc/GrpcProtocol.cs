using System.Text;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>The names and encodings of gRPC over HTTP/2 (grpc/doc/PROTOCOL-HTTP2.md) that the hop uses.</summary>
internal static class GrpcProtocol
{
    public const string AppendBatchPath = "/flumek8s.v1.Hop/AppendBatch";
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TimeoutHeader = "grpc-timeout";
    public const string Identity = "identity";
    public const string Gzip = "gzip";
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>application/grpc, optionally with a +suffix (application/grpc+proto) or parameters.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }

    /// <summary>Whether a message encoding is one this side can read; null (no header) means identity.</summary>
    public static bool IsSupportedEncoding(string? encoding) =>
        encoding is null || IsIdentity(encoding) || IsGzip(encoding);

    public static bool IsGzip(string? encoding) => string.Equals(encoding, Gzip, StringComparison.OrdinalIgnoreCase);

    public static bool IsIdentity(string? encoding) => encoding is null || string.Equals(encoding, Identity, StringComparison.OrdinalIgnoreCase);

    /// <summary>grpc-message is percent-encoded UTF-8: every byte outside printable ASCII, and '%', becomes %XX.</summary>
    public static string EncodeMessage(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    /// <summary>Decodes grpc-message leniently: a malformed escape is kept as it is, as the spec asks.</summary>
    public static string DecodeMessage(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || !encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded ?? "";
        }
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The status a client infers from an HTTP status when the response carries no grpc-status (the spec's table).</summary>
    public static GrpcStatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };
}
