using System.Globalization;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.Timestamp;

/// <summary>Stamps each event with the time it passed through, in epoch milliseconds (what Flume's HDFS path escapes read).</summary>
internal sealed class TimestampInterceptor(TimestampInterceptorSettings settings, TimeProvider time) : EventInterceptor
{
    public override bool Intercept(Event @event)
    {
        if (settings.PreserveExisting && @event.GetHeader(settings.HeaderName) is not null)
        {
            return true;
        }
        @event.Headers[settings.HeaderName] = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return true;
    }
}
