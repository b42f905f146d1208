using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>avro</c> sink: each batch taken from the channel goes to the next hop as one
/// <c>appendBatch</c> call, and the take commits only when the server answered OK. Any other
/// outcome (FAILED, an error reply, a timeout, a broken connection) drops the connection and
/// fails the delivery, so the batch rolls back into the channel and is sent again on a fresh
/// connection. The connection is opened on the first batch that needs it (Flume opens it at
/// start; here an unreachable hop does not hold up the agent's start) and, with
/// <c>reset-connection-interval</c>, replaced once it has been open that long.
/// </summary>
public sealed partial class AvroSink : BatchSink, ILifecycle
{
    private readonly AvroSinkSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AvroServerHash _serverHash = new();
    private AvroServerTrust? _trust;
    private AvroRpcClient? _client;
    private long _connectedAt;

    public AvroSink(string name, IChannel channel, AvroSinkSettings settings, TimeProvider time, ILogger logger)
        : base(name, "avro", channel, settings.BatchSize)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether a connection to the next hop is open now.</summary>
    public bool IsConnected => _client is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_settings.Ssl is { } ssl)
        {
            var roots = ssl.TrustAllCerts || ssl.Truststore is null
                ? null
                : AvroKeyStores.LoadTrustRoots(ssl.Truststore, ssl.TruststorePassword, ssl.TruststoreType);
            _trust = new AvroServerTrust(ssl.TrustAllCerts, roots);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await CloseAsync().ConfigureAwait(false);

    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var client = await ConnectedClientAsync(cancellationToken).ConfigureAwait(false);
        AvroStatus status;
        try
        {
            status = await client.CallAsync(AvroSourceProtocol.AppendBatchMessage, output => AvroFlumeEventCodec.WriteArray(output, batch), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await CloseAsync().ConfigureAwait(false);
            throw new SinkDeliveryException($"Avro sink {Name} could not send {batch.Count} events to {_settings.Hostname}:{_settings.Port}: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            // Stopping in the middle of a call leaves the connection in an unknown state.
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
        if (status != AvroStatus.Ok)
        {
            await CloseAsync().ConfigureAwait(false);
            throw new SinkDeliveryException($"Avro server {_settings.Hostname}:{_settings.Port} answered {status.ToString().ToUpperInvariant()} to a batch of {batch.Count} events from sink {Name}");
        }
    }

    private async ValueTask<AvroRpcClient> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        if (_client is not null && _settings.ResetConnectionInterval > TimeSpan.Zero
            && _time.GetElapsedTime(_connectedAt) >= _settings.ResetConnectionInterval)
        {
            LogResetting(_logger, Name);
            await CloseAsync().ConfigureAwait(false);
        }
        if (_client is not null)
        {
            return _client;
        }
        try
        {
            _client = await AvroRpcClient.ConnectAsync(_settings, _trust, _serverHash, _time, _logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Counter.IncrementConnectionFailed();
            throw new SinkDeliveryException($"Avro sink {Name} cannot connect to {_settings.Hostname}:{_settings.Port}: {e.Message}", e);
        }
        _connectedAt = _time.GetTimestamp();
        Counter.IncrementConnectionCreated();
        LogConnected(_logger, Name, _settings.Hostname, _settings.Port);
        return _client;
    }

    private async ValueTask CloseAsync()
    {
        if (_client is not { } client)
        {
            return;
        }
        _client = null;
        await client.DisposeAsync().ConfigureAwait(false);
        Counter.IncrementConnectionClosed();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Avro sink {Sink} connected to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string sink, string host, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Avro sink {Sink} replaces its connection (reset-connection-interval)")]
    private static partial void LogResetting(ILogger logger, string sink);
}
