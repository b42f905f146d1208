using System.Text.Json.Nodes;

namespace FlumeK8s.Kube;

/// <summary>
/// Keeps a caller informed of every object of one kind: list, then watch from the list's version;
/// a watch that ends is resumed from the last version seen; one that expires (410 Gone) or fails
/// leads to a fresh list. Each list reports every object again, so a level-based caller never
/// misses a state even if it missed events.
/// </summary>
/// <param name="labelSelector">Only objects with these labels (the operator's own, say), listed and watched.</param>
public sealed class Reflector(KubeClient client, ResourceKind kind, string? @namespace, TimeProvider time, TimeSpan? watchTimeout = null,
    string? labelSelector = null)
{
    private long _relists;

    /// <summary>How many times the reflector had to list again after the first list (expired or failed watches).</summary>
    public long Relists => Interlocked.Read(ref _relists);

    /// <param name="onObject">Called for every listed object and every watch event, with the event type (LISTED, ADDED, MODIFIED, DELETED).</param>
    public async Task RunAsync(Func<string, JsonObject, Task> onObject, Action<Exception>? onError, CancellationToken cancellationToken)
    {
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    Interlocked.Increment(ref _relists);
                }
                first = false;
                var list = await client.ListAsync(kind, @namespace, labelSelector, cancellationToken).ConfigureAwait(false);
                foreach (var item in list.Items)
                {
                    await onObject("LISTED", item).ConfigureAwait(false);
                }
                var version = list.ResourceVersion;
                while (!cancellationToken.IsCancellationRequested)
                {
                    await foreach (var change in client.WatchAsync(kind, @namespace, version, watchTimeout ?? TimeSpan.FromMinutes(5), cancellationToken, labelSelector).ConfigureAwait(false))
                    {
                        version = change.ResourceVersion ?? version;
                        if (change.Type != "BOOKMARK")
                        {
                            await onObject(change.Type, change.Object).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (WatchExpiredException)
            {
                // List again at once: the level-based caller gets the current state of everything.
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever went wrong (the API server down, a timeout, a malformed event), the
                // reflector must not stop: after a pause it lists again.
                onError?.Invoke(e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
