using System.Text.Json;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>
/// The taildir position file, in Flume's format so an existing Flume position file keeps working:
/// <code>[{"inode":2496001,"pos":1024,"file":"/var/log/app/app.log"}]</code>
/// (Flume's format carries no version or checksum; the file is replaced atomically instead:
/// temp file, fsync, rename). Only offsets of committed events are ever written.
/// </summary>
internal sealed class TaildirPositionFile(string path)
{
    public string Path => path;

    /// <summary>The saved positions; none when there is no file. Throws <see cref="InvalidDataException"/> when it is not a position file.</summary>
    public List<TaildirPosition> Load()
    {
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var positions = new List<TaildirPosition>();
            foreach (var entry in json.RootElement.EnumerateArray())
            {
                var pos = entry.GetProperty("pos").GetInt64();
                if (pos < 0)
                {
                    throw new InvalidDataException($"{path}: negative position {pos}");
                }
                positions.Add(new TaildirPosition(
                    entry.GetProperty("inode").GetUInt64(),
                    pos,
                    entry.TryGetProperty("file", out var file) ? file.GetString() ?? "" : ""));
            }
            return positions;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a taildir position file: {e.Message}", e);
        }
    }

    public void Save(IEnumerable<TaildirPosition> positions)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartArray();
                foreach (var position in positions)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("inode", position.Inode);
                    writer.WriteNumber("pos", position.Pos);
                    writer.WriteString("file", position.File);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
