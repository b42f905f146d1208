using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace FlumeK8s.Kube;

/// <summary>
/// Leader election on a coordination.k8s.io Lease, as Kubernetes controllers do it: take the lease
/// when it is free or expired (a compare-and-swap on its resourceVersion), renew it every retry
/// period, and stop leading when a renewal has not succeeded within the renew deadline. On a clean
/// stop the lease is released so another replica takes over at once instead of after it expires.
/// </summary>
public sealed class LeaderElector(KubeClient client, string @namespace, string leaseName, string identity,
    TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod, TimeProvider time)
{
    public string Identity => identity;

    /// <summary>Waits to become leader, runs <paramref name="lead"/> while leading, returns when leadership ends or on cancellation.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(retryPeriod, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return; // stopped before ever leading
            }
        }
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = lead(leading.Token);
        var lastRenewed = time.GetTimestamp();
        try
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(retryPeriod, time, cancellationToken)).ConfigureAwait(false);
                if (work.IsCompleted)
                {
                    break;
                }
                if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                {
                    lastRenewed = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(lastRenewed) > renewDeadline)
                {
                    break; // another replica may hold the lease by now: stop acting as leader
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        await leading.CancelAsync().ConfigureAwait(false);
        await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>One attempt to take or renew the lease; false when another holder has a valid lease or the swap lost a race.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var lease = await client.GetAsync(ResourceKind.Lease, @namespace, leaseName, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                await client.CreateAsync(ResourceKind.Lease, NewLease(now, transitions: 0), cancellationToken).ConfigureAwait(false);
                return true;
            }
            var spec = lease["spec"]?.AsObject() ?? [];
            var holder = spec["holderIdentity"]?.GetValue<string>();
            var renewed = ParseTime(spec["renewTime"]?.GetValue<string>());
            var duration = TimeSpan.FromSeconds(spec["leaseDurationSeconds"]?.GetValue<int>() ?? (int)leaseDuration.TotalSeconds);
            var held = !string.IsNullOrEmpty(holder) && holder != identity && renewed is { } r && r + duration > now;
            if (held)
            {
                return false;
            }
            var transitions = spec["leaseTransitions"]?.GetValue<int>() ?? 0;
            var updated = NewLease(now, holder == identity ? transitions : transitions + 1);
            updated["metadata"]!["resourceVersion"] = lease["metadata"]!["resourceVersion"]!.GetValue<string>();
            if (holder == identity)
            {
                updated["spec"]!["acquireTime"] = spec["acquireTime"]?.GetValue<string>();
            }
            await client.ReplaceAsync(ResourceKind.Lease, updated, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            return false; // another replica won the race (a stale resourceVersion, or it created the lease first)
        }
        catch (Exception e) when (e is HttpRequestException or KubeApiException)
        {
            return false; // the API server is unreachable or unhappy: not leading is the safe answer
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            var lease = await client.GetAsync(ResourceKind.Lease, @namespace, leaseName, CancellationToken.None).ConfigureAwait(false);
            if (lease?["spec"]?["holderIdentity"]?.GetValue<string>() != identity)
            {
                return;
            }
            lease["spec"]!["holderIdentity"] = null;
            lease["spec"]!["leaseDurationSeconds"] = 1;
            await client.ReplaceAsync(ResourceKind.Lease, lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or KubeApiException)
        {
            // The lease then simply expires.
        }
    }

    private JsonObject NewLease(DateTimeOffset now, int transitions) => new()
    {
        ["apiVersion"] = ResourceKind.Lease.ApiVersion,
        ["kind"] = ResourceKind.Lease.Kind,
        ["metadata"] = new JsonObject { ["name"] = leaseName, ["namespace"] = @namespace },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = identity,
            ["leaseDurationSeconds"] = (int)leaseDuration.TotalSeconds,
            ["acquireTime"] = MicroTime(now),
            ["renewTime"] = MicroTime(now),
            ["leaseTransitions"] = transitions,
        },
    };

    private static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
