using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// Points Confluent.Kafka at the system's librdkafka. Its own loader expects the
/// librdkafka.redist package (absent here) or calls <c>dlopen</c> through "libdl", which Debian 12
/// has only as libdl.so.2; an import resolver for its "librdkafka" imports avoids both. The path is
/// <c>FLUMEK8S_LIBRDKAFKA</c> when set, else the first existing well-known path of Debian's
/// <c>librdkafka1</c> (amd64 and arm64), else whatever the system loader finds as librdkafka.so.1.
/// </summary>
public static class KafkaNativeLibrary
{
    public const string PathVariable = "FLUMEK8S_LIBRDKAFKA";

    private static readonly string[] WellKnownPaths =
    [
        "/usr/lib/x86_64-linux-gnu/librdkafka.so.1",
        "/usr/lib/aarch64-linux-gnu/librdkafka.so.1",
        "/usr/lib64/librdkafka.so.1",
        "/usr/lib/librdkafka.so.1",
        "/usr/local/lib/librdkafka.so.1",
    ];

    private static readonly Lock Gate = new();
    private static IntPtr _handle;
    private static string? _loadedFrom;
    private static bool _resolverSet;

    /// <summary>Where librdkafka was loaded from, once <see cref="EnsureLoaded"/> succeeded.</summary>
    public static string? LoadedFrom => _loadedFrom;

    /// <summary>Loads librdkafka once; throws <see cref="DllNotFoundException"/> naming the package to install.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_handle != IntPtr.Zero)
            {
                return;
            }
            var (handle, path) = Probe();
            if (handle == IntPtr.Zero)
            {
                throw new DllNotFoundException(
                    "Kafka components need librdkafka (version 2.0 or later): install the Debian package librdkafka1 " +
                    $"(apt-get install librdkafka1), or set {PathVariable} to the path of librdkafka.so.1. Looked in: " +
                    string.Join(", ", Candidates()));
            }
            _handle = handle;
            _loadedFrom = path;
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
                _resolverSet = true;
            }
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "librdkafka" ? _handle : IntPtr.Zero;

    private static (IntPtr Handle, string Path) Probe()
    {
        foreach (var candidate in Candidates())
        {
            if ((!candidate.Contains('/') || File.Exists(candidate)) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return (handle, candidate);
            }
        }
        return (IntPtr.Zero, "");
    }

    private static IEnumerable<string> Candidates()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
            yield break;
        }
        foreach (var path in WellKnownPaths)
        {
            yield return path;
        }
        yield return "librdkafka.so.1";
    }
}
