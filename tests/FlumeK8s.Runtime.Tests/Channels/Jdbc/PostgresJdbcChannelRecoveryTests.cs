using FlumeK8s.Runtime.Channels.Jdbc;
using Npgsql;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

[Trait("Category", "Slow")]
public sealed class PostgresJdbcChannelRecoveryTests(PostgresFixture postgres) : JdbcChannelRecoveryTests, IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    protected override JdbcChannelSettings Settings(int capacity = 1000, int transactionCapacity = 100) =>
        new(JdbcDatabase.PostgreSql, postgres.Server.ConnectionString(_database), "a1.c1", capacity, transactionCapacity, KeepAlive: TimeSpan.Zero);

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
