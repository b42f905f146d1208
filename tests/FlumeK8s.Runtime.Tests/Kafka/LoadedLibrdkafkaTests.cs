using Confluent.Kafka;

namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>Kafka components run on librdkafka.redist's build from the output folder, never on a system librdkafka.</summary>
public sealed class LoadedLibrdkafkaTests
{
    [Fact]
    public void Load_InTheTestProcess_TheRedistsLibraryFromTheOutputFolder()
    {
        var path = LoadedLibrdkafka.Path;

        Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), path, StringComparison.Ordinal);
        Assert.DoesNotContain("/usr/", path, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_OfTheLoadedLibrary_MatchesConfluentKafkasRelease()
    {
        // Confluent.Kafka and librdkafka.redist are released together with the same major.minor.
        var client = typeof(Library).Assembly.GetName().Version!;
        var native = Library.Version; // 0xMMmmrrpp

        Assert.Equal((client.Major, client.Minor), (native >> 24, (native >> 16) & 0xff));
    }
}
