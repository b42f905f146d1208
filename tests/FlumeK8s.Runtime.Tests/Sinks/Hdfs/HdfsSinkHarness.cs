using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

/// <summary>An hdfs sink built from properties as the configuration would, over a memory channel, with a manual clock and a temp directory.</summary>
internal sealed class HdfsSinkHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 7, 14, 5, 9, TimeSpan.Zero);
    public static readonly HostIdentity Host = new("web-1", "10.1.2.3", "web-1.example.org");

    public HdfsSinkHarness()
    {
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "flumek8s-hdfs-" + Guid.NewGuid().ToString("N"));

    public ManualTimeProvider Clock { get; } = new(Start);

    public MemoryChannel Channel { get; } = new("c1", new MemoryChannelSettings(10000, 1000, TimeSpan.Zero, 1L << 30));

    public string Out => Path.Combine(Root, "out");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>A sink writing under <see cref="Out"/> (DataStream, text) unless the properties say otherwise.</summary>
    public HdfsSink NewSink(params string[] properties) => NewSink(null, properties);

    public HdfsSink NewSink(IHdfsFileSystem? fileSystem, params string[] properties) => Build(fileSystem, "DataStream", properties);

    /// <summary>A sink with only <c>hdfs.path</c> and <paramref name="properties"/>: Flume's defaults otherwise (SequenceFile).</summary>
    public HdfsSink NewFlumeDefaultSink(params string[] properties) => Build(null, null, properties);

    private HdfsSink Build(IHdfsFileSystem? fileSystem, string? fileType, string[] properties)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal) { ["hdfs.path"] = Out };
        if (fileType is not null)
        {
            merged["hdfs.fileType"] = fileType;
        }
        foreach (var property in properties)
        {
            merged[property[..property.IndexOf('=')]] = property[(property.IndexOf('=') + 1)..];
        }
        var (context, problems) = TestPipeline.Context([.. merged.Select(p => $"{p.Key}={p.Value}")]);
        var settings = HdfsSinkSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors.Select(e => $"{e.Key}: {e.Message}")));
        return new HdfsSink("k1", Channel, settings, Clock, NullLogger.Instance, fileSystem, Host);
    }

    public async Task PutAsync(params Event[] events)
    {
        using var transaction = Channel.BeginTransaction();
        transaction.PutBatch(events);
        await Eventually.Within(transaction.CommitAsync(CancellationToken.None).AsTask());
    }

    public Task PutTextAsync(params string[] bodies) => PutAsync([.. bodies.Select(b => Event.FromText(b))]);

    public static Event At(string body, DateTimeOffset time, params (string Key, string Value)[] headers)
    {
        var @event = Event.FromText(body, headers.ToDictionary(h => h.Key, h => h.Value));
        @event.Headers["timestamp"] = time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return @event;
    }

    public static async Task<PollStatus> ProcessAsync(ISink sink) => await Eventually.Within(sink.ProcessAsync(CancellationToken.None).AsTask());

    public static Task StopAsync(ISink sink) => Eventually.Within(sink.StopAsync(CancellationToken.None));

    /// <summary>Every file under <paramref name="directory"/> (default <see cref="Out"/>), as paths relative to it, sorted.</summary>
    public string[] Files(string? directory = null)
    {
        var root = directory ?? Out;
        return Directory.Exists(root)
            ? [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)]
            : [];
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Out, relative));

    public long Series => Start.ToUnixTimeMilliseconds();
}
