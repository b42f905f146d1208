namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>The databases the <c>jdbc</c> channel can keep its events in (<c>db.type</c>).</summary>
public enum JdbcDatabase
{
    /// <summary>An embedded file next to the agent: nothing to run besides the agent.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server the user already runs.</summary>
    PostgreSql,
}
