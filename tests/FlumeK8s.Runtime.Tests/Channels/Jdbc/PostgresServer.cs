using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FlumeK8s.Tests;
using Npgsql;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>
/// A real PostgreSQL server from Debian's <c>postgresql</c> package, private to its user: initdb in
/// a temporary folder, listening on a free loopback port with its socket in that folder, removed on
/// dispose. As root it runs as the <c>postgres</c> user (initdb refuses root). Shared with the
/// benchmark, so it uses nothing of xunit.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);
    private readonly string _bin;

    private PostgresServer(string bin, string root, int port)
    {
        _bin = bin;
        Root = root;
        Port = port;
    }

    public string Root { get; }

    public int Port { get; }

    private string DataDir => Path.Combine(Root, "data");

    /// <param name="durable">Keep PostgreSQL's fsync on commit (for measurements); tests turn it off,
    /// since they check the channel's transactions, not the server's disk.</param>
    /// <param name="port">The loopback port to listen on; a free one by default.</param>
    public static async Task<PostgresServer> StartAsync(bool durable = false, int? port = null)
    {
        var bin = FindBinaries();
        var root = Directory.CreateTempSubdirectory("flumek8s-pg-").FullName;
        var server = new PostgresServer(bin, root, port ?? FreeLoopbackPort.Next());
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", Superuser, root);
            }
            await server.RunAsPostgresAsync("initdb", "-D", server.DataDir, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-sync");
            var options = $"-c listen_addresses=127.0.0.1 -p {server.Port} -k {root}" +
                (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            await server.RunAsPostgresAsync("pg_ctl", "-D", server.DataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser, over TCP on loopback.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database }.ConnectionString;

    /// <summary>Creates a new, empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "channel_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        if (System.IO.File.Exists(Path.Combine(DataDir, "postmaster.pid")))
        {
            await RunAsPostgresAsync("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");
        }
        Directory.Delete(Root, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunAsPostgresAsync(string tool, params string[] arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", Superuser, "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {ToolTimeout.TotalSeconds:F0} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    // Debian installs each major version under /usr/lib/postgresql/<version>/bin; the newest wins.
    private static string FindBinaries()
    {
        const string Debian = "/usr/lib/postgresql";
        var versions = Directory.Exists(Debian) ? Directory.GetDirectories(Debian) : [];
        var newest = versions.Where(v => System.IO.File.Exists(Path.Combine(v, "bin", "initdb")))
            .OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var n) ? n : 0).FirstOrDefault();
        return newest is not null
            ? Path.Combine(newest, "bin")
            : throw new InvalidOperationException($"no PostgreSQL server under {Debian}: install Debian's postgresql package (test.sh does)");
    }

}
