using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// The durable position of the file being read, kept in <c>trackerDir/.flumespool-main.meta</c>
/// (Flume's file name; the content is ours):
/// <code>{"version":1,"file":"sub/app.log","inode":1234,"position":5678,"checksum":"…"}</code>
/// <c>file</c> is relative to the spool directory; <c>checksum</c> is the first 8 bytes of the
/// SHA-256 of "version\nfile\ninode\nposition", in hex. It is written after every committed batch
/// (temp file, fsync, rename: a crash leaves the old or the new position, never half of one), so
/// a restart resumes where the last committed batch ended. A missing, unreadable or corrupt file
/// means "start the current file from its beginning": events may repeat, none are lost.
/// </summary>
internal sealed class SpoolPositionStore(string directory)
{
    public const string FileName = ".flumespool-main.meta";
    private const int Version = 1;

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The saved position; null when there is none. Throws <see cref="InvalidDataException"/> when the file is corrupt.</summary>
    public SpoolPosition? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path));
            var root = json.RootElement;
            var version = root.GetProperty("version").GetInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"{Path}: unknown version {version}");
            }
            var position = new SpoolPosition(
                root.GetProperty("file").GetString() ?? throw new InvalidDataException($"{Path}: no file name"),
                root.GetProperty("inode").GetUInt64(),
                root.GetProperty("position").GetInt64());
            if (root.GetProperty("checksum").GetString() != Checksum(position) || position.Offset < 0)
            {
                throw new InvalidDataException($"{Path}: checksum mismatch");
            }
            return position;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{Path} is corrupt: {e.Message}", e);
        }
    }

    public void Save(SpoolPosition position)
    {
        Directory.CreateDirectory(directory);
        var temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", Version);
                writer.WriteString("file", position.RelativePath);
                writer.WriteNumber("inode", position.Inode);
                writer.WriteNumber("position", position.Offset);
                writer.WriteString("checksum", Checksum(position));
                writer.WriteEndObject();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }

    public void Clear() => File.Delete(Path);

    private static string Checksum(SpoolPosition position)
    {
        var text = string.Join('\n',
            Version.ToString(CultureInfo.InvariantCulture),
            position.RelativePath,
            position.Inode.ToString(CultureInfo.InvariantCulture),
            position.Offset.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }
}
