using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;
using FlumeK8s.Runtime.Sinks.Serialization;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// The <c>hdfs</c> sink's properties with Flume's names and defaults (all under <c>hdfs.</c> except
/// <c>serializer</c> and <c>serializer.*</c>), plus this project's WebHDFS settings
/// <c>hdfs.webhdfs.user</c> (sent as <c>user.name</c>) and <c>hdfs.webhdfs.delegationToken</c>
/// (sent as <c>delegation</c>), and <c>hdfs.fsyncPerBatch</c> (local file system: fdatasync every
/// batch, or only hand it to the kernel as Flume's hflush does). Times are seconds except <c>hdfs.callTimeout</c> (ms), as in Flume.
/// </summary>
public sealed record HdfsSinkSettings(
    HdfsLocation Location,
    string FilePrefix,
    string FileSuffix,
    string InUsePrefix,
    string InUseSuffix,
    TimeSpan RollInterval,
    long RollSize,
    long RollCount,
    TimeSpan IdleTimeout,
    int BatchSize,
    int MaxOpenFiles,
    TimeSpan CallTimeout,
    HdfsFileType FileType,
    HdfsSerializerKind Serializer,
    bool AppendNewline,
    int AvroSyncIntervalBytes,
    AvroCodec AvroCodec,
    TimeRounding? Round,
    TimeZoneInfo TimeZone,
    bool UseLocalTimeStamp,
    string? WebHdfsUser,
    string? WebHdfsDelegationToken,
    SequenceFileWriteFormat WriteFormat,
    bool FsyncPerBatch)
{
    public const string BatchSizeKey = "hdfs.batchSize";

    /// <summary>The extension Hadoop's GzipCodec gives its files.</summary>
    public const string GzipExtension = ".gz";

    // A TimeProvider timer cannot wait longer than about 49 days.
    private const long MaxTimerSeconds = 30L * 24 * 3600;

    private static readonly (string Name, HdfsSerializerKind Kind)[] Serializers =
    [
        ("TEXT", HdfsSerializerKind.Text),
        ("org.apache.flume.serialization.BodyTextEventSerializer$Builder", HdfsSerializerKind.Text),
        ("HEADER_AND_TEXT", HdfsSerializerKind.HeaderAndText),
        ("org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder", HdfsSerializerKind.HeaderAndText),
        ("AVRO_EVENT", HdfsSerializerKind.AvroEvent),
        ("org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder", HdfsSerializerKind.AvroEvent),
    ];

    private static readonly string[] GzipNames = ["gzip", "GzipCodec", "org.apache.hadoop.io.compress.GzipCodec"];

    /// <summary>True when the output is gzip: each flushed batch is one complete gzip member.</summary>
    public bool Gzip => FileType == HdfsFileType.CompressedStream;

    /// <summary>What ends a finished file's name: <c>hdfs.fileSuffix</c>, else the codec's extension (Flume's rule).</summary>
    public string FinalSuffix => FileSuffix.Length > 0 ? FileSuffix : Gzip ? GzipExtension : "";

    /// <summary>A serializer a plugin provides, named by <c>serializer</c>; null for the built-in ones.</summary>
    internal Func<IEventSerializer>? CustomSerializer { get; init; }

    public static HdfsSinkSettings Read(ComponentContext context) => Read(context, serializers: null);

    internal static HdfsSinkSettings Read(ComponentContext context, ISerializerCatalog? serializers)
    {
        var custom = serializers?.Resolve(context.GetString("serializer", "TEXT").Trim(), context.Scope("serializer."),
            message => context.Error("serializer", message));
        return ReadBuiltIn(context, custom is null) with { CustomSerializer = custom };
    }

    private static HdfsSinkSettings ReadBuiltIn(ComponentContext context, bool builtInSerializer)
    {
        var path = context.Require("hdfs.path");
        var location = HdfsLocation.Parse(path, out var locationError);
        if (locationError is not null)
        {
            context.Error("hdfs.path", locationError);
        }
        location ??= new HdfsLocation(HdfsScheme.Local, null, path);
        CheckTemplate(context, "hdfs.path", location.PathTemplate);
        var prefix = context.GetString("hdfs.filePrefix", "FlumeData");
        CheckTemplate(context, "hdfs.filePrefix", prefix);
        var fileSuffix = ReadNamePart(context, "hdfs.fileSuffix", "");
        var inUsePrefix = ReadNamePart(context, "hdfs.inUsePrefix", "");
        var inUseSuffix = ReadNamePart(context, "hdfs.inUseSuffix", ".tmp");
        if (inUsePrefix.Length == 0 && inUseSuffix.Length == 0)
        {
            context.Warning("hdfs.inUseSuffix", "with no in-use prefix or suffix a file being written looks finished, and files left by a crash cannot be recognized and recovered");
        }
        var fileType = ReadFileType(context);
        var codec = context.GetString("hdfs.codeC");
        if (fileType == HdfsFileType.CompressedStream)
        {
            if (codec is null)
            {
                context.Error("hdfs.codeC", "is required when hdfs.fileType = CompressedStream (supported: gzip)");
            }
            else if (!GzipNames.Contains(codec.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                context.Error("hdfs.codeC", $"'{codec}' is not supported; the hdfs sink compresses with gzip only");
            }
        }
        else if (fileType == HdfsFileType.SequenceFile && codec is not null)
        {
            context.Error("hdfs.codeC", $"'{codec}': compressed SequenceFiles are not supported; remove hdfs.codeC for uncompressed SequenceFiles, or use hdfs.fileType = CompressedStream with gzip");
        }
        else if (codec is not null)
        {
            context.Warning("hdfs.codeC", "is ignored unless hdfs.fileType = CompressedStream");
        }
        if (fileType == HdfsFileType.SequenceFile && context.Contains("serializer"))
        {
            context.Warning("serializer", "is ignored when hdfs.fileType = SequenceFile (hdfs.writeFormat picks the record value)");
        }
        var serializerScope = context.Scope("serializer.");
        return new HdfsSinkSettings(
            location,
            prefix,
            fileSuffix,
            inUsePrefix,
            inUseSuffix,
            TimeSpan.FromSeconds(context.GetLong("hdfs.rollInterval", 30, min: 0, max: MaxTimerSeconds)),
            context.GetLong("hdfs.rollSize", 1024, min: 0),
            context.GetLong("hdfs.rollCount", 10, min: 0),
            TimeSpan.FromSeconds(context.GetLong("hdfs.idleTimeout", 0, min: 0, max: MaxTimerSeconds)),
            context.GetInt(BatchSizeKey, 100, min: 1),
            context.GetInt("hdfs.maxOpenFiles", 5000, min: 1),
            TimeSpan.FromMilliseconds(context.GetLong("hdfs.callTimeout", 30000, min: 1, max: int.MaxValue)),
            fileType,
            builtInSerializer ? ReadSerializer(context) : HdfsSerializerKind.Text,
            serializerScope.GetBool("appendNewline", true),
            // Avro container writers (Java's, so Flume's, and Apache.Avro's) take 32 bytes to 1 GiB.
            serializerScope.GetInt("syncIntervalBytes", 2048000, min: 32, max: 1 << 30),
            ReadAvroCodec(serializerScope),
            ReadRounding(context),
            ReadTimeZone(context),
            context.GetBool("hdfs.useLocalTimeStamp", false),
            NullIfEmpty(context.GetString("hdfs.webhdfs.user")),
            NullIfEmpty(context.GetString("hdfs.webhdfs.delegationToken")),
            context.GetChoice("hdfs.writeFormat", "Writable", "Writable", "Text") == "Text" ? SequenceFileWriteFormat.Text : SequenceFileWriteFormat.Writable,
            context.GetBool("hdfs.fsyncPerBatch", true));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void CheckTemplate(ComponentContext context, string key, string text)
    {
        if (PathTemplate.Parse(text, new HostIdentity("h", "i", "f"), out var error) is null)
        {
            context.Error(key, error!);
        }
    }

    private static HdfsFileType ReadFileType(ComponentContext context) =>
        Enum.Parse<HdfsFileType>(context.GetChoice("hdfs.fileType", "SequenceFile", "SequenceFile", "DataStream", "CompressedStream"));

    private static HdfsSerializerKind ReadSerializer(ComponentContext context)
    {
        var name = context.GetString("serializer", "TEXT").Trim();
        foreach (var (known, kind) in Serializers)
        {
            if (string.Equals(name, known, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        context.Error("serializer", $"'{name}' is not supported by the hdfs sink; use one of: TEXT, HEADER_AND_TEXT, AVRO_EVENT");
        return HdfsSerializerKind.Text;
    }

    private static AvroCodec ReadAvroCodec(ComponentContext serializer)
    {
        var name = serializer.GetString("compressionCodec", "null").Trim();
        if (name.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return AvroCodec.Null;
        }
        if (name.Equals("deflate", StringComparison.OrdinalIgnoreCase))
        {
            return AvroCodec.Deflate;
        }
        serializer.Error("compressionCodec", $"'{name}' is not supported; use null or deflate");
        return AvroCodec.Null;
    }

    private static TimeRounding? ReadRounding(ComponentContext context)
    {
        var round = context.GetBool("hdfs.round", false);
        var unitName = context.GetChoice("hdfs.roundUnit", "second", "second", "minute", "hour", "day");
        var unit = Enum.Parse<RoundUnit>(unitName, ignoreCase: true);
        // Flume's limits: a value must divide into its next unit's range.
        var max = unit switch { RoundUnit.Hour => 24, RoundUnit.Day => 31, _ => 60 };
        var value = context.GetInt("hdfs.roundValue", 1, min: 1, max: max);
        return round ? new TimeRounding(unit, value) : null;
    }

    private static TimeZoneInfo ReadTimeZone(ComponentContext context)
    {
        var id = context.GetString("hdfs.timeZone");
        if (id is null)
        {
            return TimeZoneInfo.Local;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            context.Error("hdfs.timeZone", $"'{id}' is not a known time zone id (e.g. UTC, Europe/Paris, America/Los_Angeles)");
            return TimeZoneInfo.Utc;
        }
    }

    private static string ReadNamePart(ComponentContext context, string key, string defaultValue)
    {
        var value = context.GetString(key, defaultValue);
        if (value.Contains('/', StringComparison.Ordinal) || value.Contains('%', StringComparison.Ordinal) || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            context.Error(key, $"'{value}' would not be part of a file name (it holds '/', '%' or an invalid character)");
            return defaultValue;
        }
        return value;
    }
}
