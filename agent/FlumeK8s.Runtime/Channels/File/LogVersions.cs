namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// The log format versions this agent reads, one reader each, and the one it writes. Reading a
/// new version takes its reader class and one line in <see cref="Supported"/>; the old readers stay,
/// so an upgraded agent replays the backlog an older one left.
/// </summary>
internal sealed class LogVersions
{
    /// <summary>The version new log files are written in: what <see cref="Block"/> and <see cref="EventRecord"/> encode.</summary>
    public const uint Written = 1;

    private readonly Dictionary<uint, ILogVersionReader> _readers;

    public LogVersions(params ILogVersionReader[] readers)
    {
        _readers = readers.ToDictionary(r => r.Version);
        if (!_readers.ContainsKey(Written))
        {
            throw new ArgumentException($"no reader for version {Written}, the version this agent writes", nameof(readers));
        }
    }

    public static LogVersions Supported { get; } = new(
        LogVersion1Reader.Instance);

    /// <summary>The supported versions, for messages: "1", "1, 2".</summary>
    public string Names => string.Join(", ", _readers.Keys.Order());

    /// <summary>The reader for log files of <paramref name="version"/>, or null when this agent cannot read them.</summary>
    public ILogVersionReader? For(uint version) => _readers.GetValueOrDefault(version);

    /// <summary>The reader for <paramref name="version"/>; throws <see cref="Unsupported"/> when there is none.</summary>
    public ILogVersionReader Require(uint version, string path) => For(version) ?? throw Unsupported([(path, version)]);

    /// <summary>
    /// The error for log files in versions this agent cannot read, naming each file, the version found
    /// and the versions supported. Refusing is what keeps such files' events: a reader that skipped
    /// them would let the channel delete them once the rest drained.
    /// </summary>
    public InvalidDataException Unsupported(IReadOnlyList<(string Path, uint Version)> files) =>
        new($"{string.Join("; ", files.Select(f => $"log file {f.Path} is in format version {f.Version}"))}; this agent reads " +
            $"log format versions {Names}, so they were written by a newer agent. Nothing was read or deleted: run an agent that " +
            "reads those versions on these directories");
}
