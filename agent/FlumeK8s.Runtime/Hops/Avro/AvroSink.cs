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
/// connection; an error reply says why in the failure, and one saying the frame is over the
/// server's max-frame-size makes the sink split the batch instead. The connection is opened,
/// and its handshake done with a ping, on the first batch that needs it (Flume opens it at
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

    /// <summary>
    /// Sends the batch; one the server finds over its max-frame-size is sent again in halves, each
    /// acknowledged on its own (a later half failing means the earlier ones arrive twice when the
    /// take is retried: at least once). An error reply is a refusal no retry can cure: it fails
    /// the delivery with its cause, and the batch stays in the channel.
    /// </summary>
    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        // Avro RPC over one connection is one call at a time (the client numbers calls and reads one
        // reply each): the turn keeps the calls one at a time and in take order, and the earlier
        // batch's take commit runs beside the next call.
        await WaitForTurnAsync(batch, cancellationToken).ConfigureAwait(false);
        try
        {
            await DeliverOrSplitAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndTurn(batch);
        }
    }

    private async ValueTask DeliverOrSplitAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (AvroRemoteException e) when (IsFrameTooLarge(e) && batch.Count > 1)
        {
            var half = batch.Count / 2;
            LogSplitting(_logger, Name, batch.Count, e.Message);
            await DeliverOrSplitAsync([.. batch.Take(half)], cancellationToken).ConfigureAwait(false);
            await DeliverOrSplitAsync([.. batch.Skip(half)], cancellationToken).ConfigureAwait(false);
        }
        catch (AvroRemoteException e)
        {
            var cause = IsFrameTooLarge(e)
                ? $"a single event of {batch[0].Body.Length} body bytes is larger than the server accepts ({e.Message}); raise max-frame-size on the receiving avro source"
                : $"the server {_settings.Hostname}:{_settings.Port} answered the call with an error: {e.Message}";
            LogRefusedForGood(_logger, Name, batch.Count, cause);
            throw new SinkDeliveryException($"Avro sink {Name}: {cause}. Retrying cannot succeed until that changes; the events stay in the channel", e);
        }
    }

    private static bool IsFrameTooLarge(AvroRemoteException refusal) =>
        refusal.Message.StartsWith(AvroSourceProtocol.FrameTooLargeError, StringComparison.Ordinal);

    private async ValueTask CallAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var client = await ConnectedClientAsync(cancellationToken).ConfigureAwait(false);
        AvroStatus status;
        try
        {
            status = await client.CallAsync(AvroSourceProtocol.AppendBatchMessage, output => AvroFlumeEventCodec.WriteArray(output, batch), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AvroRemoteException)
        {
            // The server that refuses a frame unread closes the connection after its answer.
            await CloseAsync().ConfigureAwait(false);
            throw;
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
        AvroRpcClient? client = null;
        try
        {
            client = await AvroRpcClient.ConnectAsync(_settings, _trust, _serverHash, _time, _logger, cancellationToken).ConfigureAwait(false);
            // Handshake before any batch: then even a batch the server refuses unread is answered (see AvroRpcClient).
            await client.HandshakeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            Counter.IncrementConnectionFailed();
            throw new SinkDeliveryException($"Avro sink {Name} cannot connect to {_settings.Hostname}:{_settings.Port}: {e.Message}", e);
        }
        _client = client;
        _connectedAt = _time.GetTimestamp();
        Counter.IncrementConnectionCreated();
        LogConnected(_logger, Name, _settings.Hostname, _settings.Port);
        return client;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Avro sink {Sink}: a batch of {Count} events is over the server's max-frame-size ({Detail}); sending it in halves")]
    private static partial void LogSplitting(ILogger logger, string sink, int count, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Avro sink {Sink}: {Count} events cannot be delivered: {Cause}")]
    private static partial void LogRefusedForGood(ILogger logger, string sink, int count, string cause);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Avro sink {Sink} replaces its connection (reset-connection-interval)")]
    private static partial void LogResetting(ILogger logger, string sink);
}
