using FlumeK8s.Runtime.Runners;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// Every address a name resolves to is an endpoint, re-resolved every refresh interval. A name that
/// does not exist empties the set (nothing is ready to receive); a failing resolver keeps the last
/// set, since a DNS hiccup says nothing about the receivers.
/// </summary>
internal sealed partial class DnsEndpointDiscovery(DnsTarget target, IHostResolver resolver, TimeSpan refreshInterval, TimeProvider time, ILogger logger)
    : IEndpointDiscovery
{
    private readonly BackgroundWork _refresh = new();
    private IReadOnlyList<HopEndpoint>? _last;

    public async Task StartAsync(Action<IReadOnlyList<HopEndpoint>> publish, CancellationToken cancellationToken)
    {
        await RefreshAsync(publish, cancellationToken).ConfigureAwait(false);
        _refresh.Start(token => RefreshLoopAsync(publish, token));
    }

    public Task StopAsync(CancellationToken cancellationToken) => _refresh.StopAsync(cancellationToken);

    private async Task RefreshLoopAsync(Action<IReadOnlyList<HopEndpoint>> publish, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(refreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RefreshAsync(publish, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RefreshAsync(Action<IReadOnlyList<HopEndpoint>> publish, CancellationToken cancellationToken)
    {
        IReadOnlyList<System.Net.IPAddress> addresses;
        try
        {
            addresses = await resolver.ResolveAsync(target.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogResolveFailed(logger, target.ToString(), _last?.Count ?? 0, e.Message);
            return;
        }
        HopEndpoint[] endpoints =
        [
            .. addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal)
                .Select(a => new HopEndpoint(a.ToString(), target.Port, target.Name)),
        ];
        if (_last is not null && _last.SequenceEqual(endpoints))
        {
            return;
        }
        _last = endpoints;
        LogResolved(logger, target.ToString(), endpoints.Length, string.Join(", ", endpoints.Select(e => e.Host)));
        publish(endpoints);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Target} now resolves to {Count} endpoints: {Addresses}")]
    private static partial void LogResolved(ILogger logger, string target, int count, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resolving {Target} failed; keeping the {Count} endpoints known so far: {Reason}")]
    private static partial void LogResolveFailed(ILogger logger, string target, int count, string reason);
}
