using System.IO.Compression;
using System.Text;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// Reads every file under the output folders, recursively, whatever sink wrote it (finished files and
/// in-use ones such as <c>.tmp</c>; gzip when the name ends <c>.gz</c>), and collects the <c>seq=</c>
/// numbers of their lines. Scans are incremental: a plain file that grew is read from where the last
/// scan stopped (whole lines only, unless <c>final</c>); a gzip file, or one that shrank, is read again
/// whole; a file that vanished (a sink renamed it when it closed) no longer counts, its new name does.
/// </summary>
internal sealed class DeliveredEventsReader(IReadOnlyList<string> folders)
{
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);

    public IEnumerable<long> Seqs => _files.Values.SelectMany(f => f.Seqs);

    public int Files => _files.Count;

    /// <param name="final">Every writer has stopped: a last line without its newline counts too.</param>
    public void Scan(bool final = false)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                present.Add(path);
                try
                {
                    Read(path, final);
                }
                catch (FileNotFoundException)
                {
                    present.Remove(path); // Renamed since it was listed: the new name is read this scan or the next.
                }
                catch (DirectoryNotFoundException)
                {
                    present.Remove(path);
                }
            }
        }
        foreach (var gone in _files.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _files.Remove(gone);
        }
    }

    private void Read(string path, bool final)
    {
        var info = new FileInfo(path);
        var length = info.Length;
        _files.TryGetValue(path, out var state);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            if (state is null || state.Length != length || final)
            {
                ReadGzip(path, length, final);
            }
            return;
        }
        if (state is not null && state.Length == length && !final)
        {
            return;
        }
        if (state is null || length < state.Complete)
        {
            _files[path] = state = new FileState();
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(state.Complete, SeekOrigin.Begin);
        var buffer = new byte[Math.Max(0, length - state.Complete)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var consumed = Lines(buffer.AsSpan(0, read), final, state.Seqs);
        state.Complete += consumed;
        state.Length = state.Complete + (read - consumed);
    }

    private void ReadGzip(string path, long length, bool final)
    {
        var seqs = new List<long>();
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var all = new MemoryStream();
            gzip.CopyTo(all);
            Lines(all.GetBuffer().AsSpan(0, (int)all.Length), final, seqs);
        }
        catch (InvalidDataException)
        {
            // A gzip file still being written ends mid-block: it is read again when it changes.
            if (final)
            {
                throw;
            }
            return;
        }
        _files[path] = new FileState { Complete = length, Length = length, Seqs = seqs };
    }

    /// <summary>Collects the numbers of the complete lines (all lines when final); returns the bytes consumed.</summary>
    private static int Lines(ReadOnlySpan<byte> bytes, bool final, List<long> seqs)
    {
        var consumed = 0;
        while (consumed < bytes.Length)
        {
            var newline = bytes[consumed..].IndexOf((byte)'\n');
            if (newline < 0 && !final)
            {
                break;
            }
            var line = newline < 0 ? bytes[consumed..] : bytes.Slice(consumed, newline);
            if (SeqToken.TryParse(Encoding.UTF8.GetString(line), out var seq))
            {
                seqs.Add(seq);
            }
            consumed += newline < 0 ? line.Length : newline + 1;
        }
        return consumed;
    }

    private sealed class FileState
    {
        /// <summary>Bytes of whole lines already read.</summary>
        public long Complete { get; set; }

        public long Length { get; set; }

        public List<long> Seqs { get; init; } = [];
    }
}
