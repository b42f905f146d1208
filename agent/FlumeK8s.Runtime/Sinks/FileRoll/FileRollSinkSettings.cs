using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sinks.Serialization;

namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>
/// The <c>file_roll</c> sink's properties, with Flume's names and defaults:
/// <c>sink.directory</c> (required; created when missing), <c>sink.rollInterval</c> seconds
/// (0 = one file for the sink's life), <c>sink.serializer</c> TEXT | HEADER_AND_TEXT (or Flume's
/// serializer class names) with <c>sink.serializer.appendNewline</c>, <c>sink.batchSize</c>,
/// <c>sink.pathManager</c> DEFAULT | ROLLTIME with <c>sink.pathManager.prefix</c> and
/// <c>sink.pathManager.extension</c>.
/// </summary>
public sealed record FileRollSinkSettings(
    string Directory,
    TimeSpan RollInterval,
    FileRollSerializerKind Serializer,
    bool AppendNewline,
    int BatchSize,
    FileRollPathManagerKind PathManager,
    string Prefix,
    string Extension)
{
    public const string BatchSizeKey = "sink.batchSize";

    // A TimeProvider timer cannot wait longer than about 49 days.
    private const long MaxRollSeconds = 30L * 24 * 3600;

    private static readonly (string Name, FileRollSerializerKind Kind)[] Serializers =
    [
        ("TEXT", FileRollSerializerKind.Text),
        ("org.apache.flume.serialization.BodyTextEventSerializer$Builder", FileRollSerializerKind.Text),
        ("org.apache.flume.serialization.BodyTextEventSerializer", FileRollSerializerKind.Text),
        ("HEADER_AND_TEXT", FileRollSerializerKind.HeaderAndText),
        ("org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder", FileRollSerializerKind.HeaderAndText),
        ("org.apache.flume.serialization.HeaderAndBodyTextEventSerializer", FileRollSerializerKind.HeaderAndText),
    ];

    private static readonly (string Name, FileRollPathManagerKind Kind)[] PathManagers =
    [
        ("DEFAULT", FileRollPathManagerKind.Default),
        ("org.apache.flume.formatter.output.DefaultPathManager$Builder", FileRollPathManagerKind.Default),
        ("ROLLTIME", FileRollPathManagerKind.RollTime),
        ("org.apache.flume.formatter.output.RollTimePathManager$Builder", FileRollPathManagerKind.RollTime),
    ];

    /// <summary>A serializer a plugin provides, named by <c>sink.serializer</c>; null for the built-in ones.</summary>
    internal Func<IEventSerializer>? CustomSerializer { get; init; }

    public static FileRollSinkSettings Read(ComponentContext context) => Read(context, serializers: null);

    internal static FileRollSinkSettings Read(ComponentContext context, ISerializerCatalog? serializers)
    {
        var custom = serializers?.Resolve(context.GetString("sink.serializer", "TEXT").Trim(), context.Scope("sink.serializer."),
            message => context.Error("sink.serializer", message));
        return ReadBuiltIn(context, custom is null) with { CustomSerializer = custom };
    }

    private static FileRollSinkSettings ReadBuiltIn(ComponentContext context, bool builtInSerializer) => new(
        context.Require("sink.directory"),
        TimeSpan.FromSeconds(context.GetLong("sink.rollInterval", 30, min: 0, max: MaxRollSeconds)),
        builtInSerializer ? ReadNamed(context, "sink.serializer", "TEXT", Serializers) : FileRollSerializerKind.Text,
        context.GetBool("sink.serializer.appendNewline", true),
        context.GetInt(BatchSizeKey, 100, min: 1),
        ReadNamed(context, "sink.pathManager", "DEFAULT", PathManagers),
        ReadFileNamePart(context, "sink.pathManager.prefix"),
        ReadFileNamePart(context, "sink.pathManager.extension"));

    internal IEventSerializer CreateSerializer() => CustomSerializer?.Invoke() ?? Serializer switch
    {
        FileRollSerializerKind.HeaderAndText => new HeaderAndBodyTextSerializer(AppendNewline),
        _ => new BodyTextSerializer(AppendNewline),
    };

    internal IRollPathManager CreatePathManager(DateTimeOffset now) => PathManager switch
    {
        FileRollPathManagerKind.RollTime => new RollTimePathManager(Prefix, Extension),
        _ => new DefaultRollPathManager(Prefix, Extension, now.ToUnixTimeMilliseconds()),
    };

    private static T ReadNamed<T>(ComponentContext context, string key, string defaultName, (string Name, T Kind)[] known)
    {
        var name = context.GetString(key, defaultName).Trim();
        foreach (var (knownName, kind) in known)
        {
            if (string.Equals(name, knownName, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        var aliases = known.Where(k => !k.Name.Contains('.', StringComparison.Ordinal)).Select(k => k.Name);
        context.Error(key, $"'{name}' is not supported by file_roll; use one of: {string.Join(", ", aliases)}");
        return known[0].Kind;
    }

    private static string ReadFileNamePart(ComponentContext context, string key)
    {
        var value = context.GetString(key, "");
        if (value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            context.Error(key, $"'{value}' would not be part of a file name (it holds a path separator or an invalid character)");
            return "";
        }
        return value;
    }
}
