namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>The names in the schema (Channels/Jdbc/README.md), written once.</summary>
internal static class EventTable
{
    public const string Events = "flumek8s_channel_event";
    public const string Versions = "flumek8s_schema_version";

    /// <summary>The component whose schema version <see cref="Versions"/> records.</summary>
    public const string Component = "jdbc-channel";

    /// <summary>The schema this code writes and reads; a database with a higher one is refused.</summary>
    public const int SchemaVersion = 1;
}
