using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace FlumeK8s.Kube;

/// <summary>
/// Leader election on a coordination.k8s.io Lease with the official client's elector: it takes the
/// lease when it is free or expired (judged by when this replica last saw the record change, never
/// by the holder's clock), renews it every retry period and stops leading when a renewal has not
/// succeeded within the renew deadline, even if the call hangs. What the client's elector lacks is
/// added here: on a clean stop the lease is released, so another replica takes over at once instead
/// of after a whole lease duration; an API server that is briefly unreachable does not end the term
/// before the renew deadline (<see cref="PatientLeaseLock"/>).
/// </summary>
public sealed class LeaderElector(IKubernetes client, string @namespace, string leaseName, string identity,
    TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod)
{
    public string Identity => identity;

    /// <summary>
    /// Waits to become leader, runs <paramref name="lead"/> while leading, returns when leadership
    /// is lost (<paramref name="lead"/>'s token is cancelled first) or on cancellation.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        var config = new LeaderElectionConfig(new PatientLeaseLock(new LeaseLock(client, @namespace, leaseName, identity), retryPeriod))
        {
            LeaseDuration = leaseDuration,
            RenewDeadline = renewDeadline,
            RetryPeriod = retryPeriod,
        };
        using var elector = new k8s.LeaderElection.LeaderElector(config);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? work = null;
        elector.OnStartedLeading += () => work = lead(leading.Token);
        try
        {
            await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        await leading.CancelAsync().ConfigureAwait(false);
        if (work is not null)
        {
            await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    // An empty holder with a one-second duration: candidates see the lease free at their next try.
    // (A null holder would make the client's elector try to create the existing lease forever.)
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(renewDeadline);
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, @namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != identity)
            {
                return;
            }
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, @namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            // Not released: the lease simply expires after its duration.
        }
    }
}
