using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Channels.Jdbc;
using FlumeK8s.Tests;
using Npgsql;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>A database that cannot be reached at start: the channel says why and asks to be opened again.</summary>
public sealed class JdbcChannelStartTests
{
    [Fact]
    public async Task Start_PostgresUnreachable_UnhealthyWithTheReasonAndReopenRequested()
    {
        using var channels = new JdbcChannels();
        var port = FreeLoopbackPort.Next();
        var connection = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "flume", Database = "flume", Timeout = 5 };
        var channel = await channels.OpenAsync(new JdbcChannelSettings(JdbcDatabase.PostgreSql, connection.ConnectionString, "a1.c1"));
        Assert.StartsWith("failed to start:", channel.UnhealthyReason);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), channel.UnhealthyReason);
        Assert.True(channel.NeedsReopen);
        Assert.Equal(0, channel.EventsHeld);
    }

}
