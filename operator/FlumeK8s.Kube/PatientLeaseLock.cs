using k8s.LeaderElection;

namespace FlumeK8s.Kube;

/// <summary>
/// The client's Lease lock, with an unreachable API server treated as a failed attempt rather than
/// as lost leadership. The client's elector gives up leading at the first exception a renewal throws,
/// so a one-second API server restart would end the leader's term (and the operator's process) at
/// once; the renew deadline exists to ride out exactly that. Here a refused or broken connection is
/// retried every retry period, and the elector's renew deadline still bounds how long that may go on.
/// </summary>
internal sealed class PatientLeaseLock(ILock inner, TimeSpan retryPeriod) : ILock
{
    public string Identity => inner.Identity;

    public string Describe() => inner.Describe();

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                return await inner.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(retryPeriod, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        FalseWhenUnreachable(inner.CreateAsync(record, cancellationToken));

    public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        FalseWhenUnreachable(inner.UpdateAsync(record, cancellationToken));

    // The elector retries a write that returned false after its retry period, within the renew deadline.
    private static async Task<bool> FalseWhenUnreachable(Task<bool> write)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
