using System.Globalization;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>The grpc-timeout header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>
    /// The longest deadline either side applies (~24.8 days). The header can say up to 99999999
    /// hours, but a timer cannot run that long: a longer timeout means "no deadline worth
    /// tracking" and is clamped here, not refused.
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>The timeout a header asks for, at most <see cref="Max"/>; null when there is none or it is malformed (then no deadline applies, as in grpc-dotnet).</summary>
    public static TimeSpan? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length < 2 || header.Length > 9)
        {
            return null;
        }
        if (!long.TryParse(header.AsSpan(0, header.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        // 99999999 hours is still within TimeSpan's range, so each unit converts without overflow.
        TimeSpan? timeout = header[^1] switch
        {
            'H' => TimeSpan.FromHours(value),
            'M' => TimeSpan.FromMinutes(value),
            'S' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMilliseconds(value),
            'u' => TimeSpan.FromMicroseconds(value),
            'n' => TimeSpan.FromTicks(value / 100),
            _ => null,
        };
        return timeout > Max ? Max : timeout;
    }

    /// <summary>Milliseconds while they fit in 8 digits, whole seconds beyond; at most <see cref="Max"/>.</summary>
    public static string Format(TimeSpan timeout)
    {
        var clamped = timeout > Max ? Max : timeout;
        var millis = Math.Max(1, (long)Math.Ceiling(clamped.TotalMilliseconds));
        if (millis <= MaxValue)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }
        var seconds = Math.Min(MaxValue, (long)Math.Ceiling(clamped.TotalSeconds));
        return seconds.ToString(CultureInfo.InvariantCulture) + "S";
    }
}
