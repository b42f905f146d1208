using FlumeK8s.Runtime.Tests.Channels.Jdbc;

namespace FlumeK8s.Bench;

/// <summary>
/// seq → jdbc → null on an SQLite file in the run's scratch folder and on a PostgreSQL server the
/// benchmark starts (Debian's postgresql package, fsync on, as a database holding a buffer would
/// run). Each run gets its own channel.id, so no run sees another's rows.
/// </summary>
internal static class JdbcScenarios
{
    private static readonly Lazy<PostgresServer> Postgres = new(StartPostgres);

    public static IEnumerable<Scenario> All(int bodySize)
    {
        const int batch = 1000;
        yield return new Scenario("seq → jdbc (SQLite) → null", batch, 3_000_000L,
            dir => Scenarios.SeqConfig(batch, 3_000_000L, bodySize, Channel(dir, batch, $"a1.channels.c1.driver.url = {Path.Combine(dir, "channel.db")}")));
        yield return new Scenario("seq → jdbc (PostgreSQL) → null", batch, 2_000_000L,
            dir => Scenarios.SeqConfig(batch, 2_000_000L, bodySize, Channel(dir, batch, $"""
                a1.channels.c1.db.type = postgresql
                a1.channels.c1.driver.url = jdbc:postgresql://127.0.0.1:{Postgres.Value.Port}/postgres?user=postgres
                """)));
    }

    private static string Channel(string dir, int batch, string database) => $"""
        a1.channels.c1.type = jdbc
        {database}
        a1.channels.c1.channel.id = bench-{Path.GetFileName(dir)}
        a1.channels.c1.maximum.capacity = 10000000
        a1.channels.c1.transactionCapacity = {batch}
        """;

    // Started on first use (only when a PostgreSQL scenario is selected), stopped when the benchmark exits.
    private static PostgresServer StartPostgres()
    {
        var server = PostgresServer.StartAsync(durable: true).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
