using FlumeK8s.Runtime.Channels.Jdbc;
using Microsoft.Data.Sqlite;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

public sealed class SqliteJdbcChannelRecoveryTests : JdbcChannelRecoveryTests
{
    private readonly SqliteChannelFixture _fixture = new();

    protected override JdbcChannelSettings Settings(int capacity = 1000, int transactionCapacity = 100) =>
        _fixture.Settings(capacity, transactionCapacity);

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _fixture.DatabasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Open_FileInWalModeWithFullSync()
    {
        await Channels.OpenAsync(Settings());
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _fixture.DatabasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Open_FolderCannotBeCreated_UnhealthyAndRetried()
    {
        var blocker = Path.Combine(_fixture.Root, "not-a-folder");
        await System.IO.File.WriteAllTextAsync(blocker, "");
        var channel = await Channels.OpenAsync(Settings() with
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(blocker, "channel.db") }.ConnectionString,
        });
        Assert.StartsWith("failed to start:", channel.UnhealthyReason);
        Assert.True(channel.NeedsReopen);
    }

    public override void Dispose()
    {
        base.Dispose();
        _fixture.Dispose();
    }
}
