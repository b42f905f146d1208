using System.Globalization;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Puts what must survive a restart on the tier's volume: every file (or spillable) channel's
/// checkpoint and data directories (and a jdbc channel's SQLite file) under <c>/var/lib/flumek8s/&lt;channel&gt;/</c>, and the position
/// file of every taildir source that names none. A flow that sets a channel's directories itself is
/// refused: anywhere else the data would be lost with the container.
/// </summary>
internal static class StateDirectories
{
    private static readonly string[] ChannelDirectoryKeys = ["checkpointDir", "dataDirs", "backupCheckpointDir"];

    public static void Add(FlowDraft draft, string stateDirectory)
    {
        foreach (var channel in draft.Lists["channels"])
        {
            var type = draft.Get($"channels.{channel}.type");
            if (type is not null && FlowRenderer.ChannelAlias(type) == "jdbc")
            {
                AddSqliteFile(draft, channel, stateDirectory);
                continue;
            }
            if (type is null || FlowRenderer.ChannelAlias(type) is not ("file" or "spillablememory"))
            {
                continue;
            }
            var prefix = $"channels.{channel}.";
            foreach (var key in ChannelDirectoryKeys.Where(k => draft.Has(prefix + k)))
            {
                draft.Problem($"{AgentLayout.AgentName}.{prefix}{key}", $"set by the operator: a file channel keeps its data under {stateDirectory}/{channel} on the tier's volume");
            }
            var root = $"{stateDirectory}/{channel}";
            draft.Set(prefix + "checkpointDir", root + "/checkpoint");
            draft.Set(prefix + "dataDirs", root + "/data");
            if (string.Equals(draft.Get(prefix + "useDualCheckpoints"), "true", StringComparison.OrdinalIgnoreCase))
            {
                draft.Set(prefix + "backupCheckpointDir", root + "/backup");
            }
        }
        foreach (var source in draft.Lists["sources"])
        {
            var type = draft.Get($"sources.{source}.type");
            if (type is not null && FlowRenderer.SourceAlias(type) == "taildir" && !draft.Has($"sources.{source}.positionFile"))
            {
                draft.Set($"sources.{source}.positionFile", string.Create(CultureInfo.InvariantCulture, $"{stateDirectory}/{source}/taildir_position.json"));
            }
        }
    }

    // A jdbc channel on SQLite (the default db.type) keeps its file on the volume like a file
    // channel; one on PostgreSQL keeps its events in that database and needs nothing here.
    private static void AddSqliteFile(FlowDraft draft, string channel, string stateDirectory)
    {
        var prefix = $"channels.{channel}.";
        var database = draft.Get(prefix + "db.type");
        if (database is not null && !string.Equals(database, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (draft.Has(prefix + "driver.url"))
        {
            draft.Problem($"{AgentLayout.AgentName}.{prefix}driver.url", $"set by the operator: an SQLite jdbc channel keeps its file under {stateDirectory}/{channel} on the tier's volume");
        }
        draft.Set(prefix + "driver.url", $"{stateDirectory}/{channel}/channel.db");
    }
}
