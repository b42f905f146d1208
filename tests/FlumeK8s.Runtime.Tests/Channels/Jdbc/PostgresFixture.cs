namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>One PostgreSQL server for a test class.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    internal PostgresServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync().WaitAsync(TimeSpan.FromMinutes(2));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }
}
