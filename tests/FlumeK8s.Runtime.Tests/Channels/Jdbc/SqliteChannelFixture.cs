using FlumeK8s.Runtime.Channels.Jdbc;
using Microsoft.Data.Sqlite;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>A temporary folder for SQLite-backed jdbc channels; every channel it opens is stopped on dispose.</summary>
public sealed class SqliteChannelFixture : IDisposable
{
    private readonly JdbcChannels _channels = new();

    public SqliteChannelFixture()
    {
        Root = Directory.CreateTempSubdirectory("flumek8s-jdbc-channel-").FullName;
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "channel.db");

    public JdbcChannelSettings Settings(int capacity = 1000, int transactionCapacity = 100) =>
        new(JdbcDatabase.Sqlite, new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ConnectionString, "a1.c1",
            capacity, transactionCapacity, KeepAlive: TimeSpan.Zero);

    public Task<JdbcChannel> OpenAsync(JdbcChannelSettings? settings = null) => _channels.OpenAsync(settings ?? Settings());

    public Task CloseAsync(JdbcChannel channel) => _channels.CloseAsync(channel);

    public void Dispose()
    {
        _channels.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
