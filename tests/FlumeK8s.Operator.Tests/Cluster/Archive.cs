using System.Globalization;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// The store tier's output as the node holds it: the folder behind the archive claim (a host-path
/// volume), read straight from the machine's disk, files still being written included.
/// </summary>
public sealed class Archive(string folder)
{
    public string Folder => folder;

    /// <summary>The numbers of the lines with this prefix that were stored, and how many lines were stored twice.</summary>
    public (HashSet<long> Numbers, int Duplicates) Read(string prefix)
    {
        var numbers = new HashSet<long>();
        var duplicates = 0;
        var start = prefix + " ";
        // Listed first, so that a file renamed from .tmp to its final name meanwhile is not met under both.
        foreach (var path in Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [])
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                // Rolled (renamed) since the listing: its lines are read under the new name next time.
                continue;
            }
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (!line.StartsWith(start, StringComparison.Ordinal) || !line.EndsWith(AppLogFile.Ending, StringComparison.Ordinal))
                {
                    continue;
                }
                var number = long.Parse(line.AsSpan(start.Length, line.IndexOf(' ', start.Length) - start.Length), CultureInfo.InvariantCulture);
                if (!numbers.Add(number))
                {
                    duplicates++;
                }
            }
        }
        return (numbers, duplicates);
    }
}
