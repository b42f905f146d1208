namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Where log files live and how a log position is made (see README.md in this folder); the same in
/// every format version, since checkpoints and in-memory pointers name positions across versions.
/// </summary>
internal static class LogFormat
{
    public static string LogPath(IReadOnlyList<string> dataDirs, int fileId) =>
        Path.Combine(dataDirs[fileId % dataDirs.Count], $"log-{fileId}");

    public static long Position(int fileId, long offset) => ((long)fileId << 32) | offset;

    public static int FileOf(long position) => (int)(position >> 32);

    public static long OffsetOf(long position) => position & 0xFFFFFFFFL;

    /// <summary>The log ids present in the data directories, oldest first.</summary>
    public static List<int> ListLogIds(IReadOnlyList<string> dataDirs)
    {
        var ids = new List<int>();
        foreach (var dir in dataDirs.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(dir, "log-*"))
            {
                if (int.TryParse(Path.GetFileName(path)[4..], out var id) && id > 0 && LogPath(dataDirs, id) == path)
                {
                    ids.Add(id);
                }
            }
        }
        ids.Sort();
        return ids;
    }
}
