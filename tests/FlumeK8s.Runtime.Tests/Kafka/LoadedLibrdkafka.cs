using Confluent.Kafka;

namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>
/// The librdkafka file this process mapped, as the kernel lists it in /proc/self/maps: Confluent.Kafka
/// chooses the file itself (trying the redist's builds in turn) and does not say which one it kept.
/// </summary>
public static class LoadedLibrdkafka
{
    private static readonly Lazy<string> Loaded = new(Find);

    public static string Path => Loaded.Value;

    /// <summary>The mapped files of process <paramref name="pid"/> whose names say librdkafka.</summary>
    public static IReadOnlyList<string> MappedBy(string pid) =>
        [.. File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && System.IO.Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5].Trim())
            .Distinct()];

    private static string Find()
    {
        _ = Library.Version; // loads the native library if nothing used Kafka yet
        var mapped = MappedBy("self");
        return mapped.Count == 1
            ? mapped[0]
            : throw new InvalidOperationException($"expected one librdkafka in /proc/self/maps, found: {string.Join(", ", mapped)}");
    }
}
