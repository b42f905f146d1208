using System.Globalization;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>Times as the Kubernetes API writes them (RFC 3339, UTC, whole seconds).</summary>
internal static class ApiTime
{
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
