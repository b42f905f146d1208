using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Jdbc;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>The channel contract on a real PostgreSQL server; every channel gets its own channel.id
/// in one shared database, as agents sharing a database do.</summary>
[Trait("Category", "Slow")]
public sealed class PostgresJdbcChannelContractTests(PostgresFixture postgres) : BoundedChannelContractTests, IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly JdbcChannels _channels = new();
    private string _database = "";

    public async Task InitializeAsync() => _database = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        _channels.Dispose();
        return Task.CompletedTask;
    }

    protected override async Task<IChannel> CreateAsync(int capacity, int transactionCapacity)
    {
        var settings = new JdbcChannelSettings(JdbcDatabase.PostgreSql, postgres.Server.ConnectionString(_database),
            $"a1.c{Guid.NewGuid():N}", capacity, transactionCapacity, KeepAlive: TimeSpan.Zero);
        var channel = await _channels.OpenAsync(settings);
        Assert.Null(channel.UnhealthyReason);
        return channel;
    }
}
