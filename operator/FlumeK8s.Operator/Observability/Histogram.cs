using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Observability;

/// <summary>A Prometheus histogram of one label value: cumulative bucket counts, sum and count.</summary>
internal sealed class Histogram(int buckets)
{
    private readonly object _gate = new();
    private readonly long[] _counts = new long[buckets];
    private long _count;
    private double _sum;

    public void Observe(double value, double[] bounds)
    {
        lock (_gate)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                if (value <= bounds[i])
                {
                    _counts[i]++;
                }
            }
            _count++;
            _sum += value;
        }
    }

    public void Render(StringBuilder text, string name, string kind, double[] bounds)
    {
        lock (_gate)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                text.Append(name).Append("_bucket{kind=\"").Append(kind).Append("\",le=\"")
                    .Append(bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(_counts[i]).Append('\n');
            }
            text.Append(name).Append("_bucket{kind=\"").Append(kind).Append("\",le=\"+Inf\"} ").Append(_count).Append('\n')
                .Append(name).Append("_sum{kind=\"").Append(kind).Append("\"} ").Append(_sum.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append(name).Append("_count{kind=\"").Append(kind).Append("\"} ").Append(_count).Append('\n');
        }
    }
}
