using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hosting;

/// <summary>
/// A Kestrel server inside a component (the admin endpoint, the http and grpc sources): the agent's
/// logging, no console lifetime (the agent owns SIGTERM and drains while these keep serving), and
/// nothing left open when it fails to start.
/// </summary>
internal sealed class EmbeddedWebServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The port actually bound (the one asked for, or the one the system chose for port 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(
        ILoggerFactory logs, Action<KestrelServerOptions> listen, Action<WebApplication> handle, CancellationToken cancellationToken, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        services?.Invoke(builder.Services);
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listen(kestrel);
        });
        var app = builder.Build();
        handle(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _app = app;
        Port = new Uri(app.Urls.First()).Port;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null)
        {
            return;
        }
        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
