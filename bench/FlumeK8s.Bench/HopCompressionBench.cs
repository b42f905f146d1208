using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Grpc;
using Grpc.Core;

namespace FlumeK8s.Bench;

/// <summary>
/// What gzip costs the grpc hop per event, in one process and without sockets: a batch of 500 events
/// like the Meituan agent tier's (a short application log line, and the node, timestamp, file and
/// tier headers its interceptors and taildir add), written as the sink writes an EventBatch, then
/// compressed at zlib levels 1 (the sink's default, and grpc-dotnet's own) and 6, and inflated as the
/// source does. CPU nanoseconds per event and the compression ratio, median of the runs.
/// </summary>
internal static class HopCompressionBench
{
    private const int Batch = 500;
    private const int Batches = 2000;

    public static void Run(int runs)
    {
        var message = EncodedBatch();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gzip on the grpc hop: an EventBatch of {Batch} log lines with 4 headers ({message.Length / Batch} bytes per event), {Batches} batches, median of {runs}:"));
        Console.WriteLine();
        Console.WriteLine("| zlib level | compressed bytes per event | ratio | compress ns/event | inflate ns/event |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var level in new[] { 1, 6 })
        {
            var compressed = Compress(message, level);
            var compress = Median(runs, () => Time(() => Compress(message, level)));
            var inflate = Median(runs, () => Time(() => Inflate(compressed)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {compressed.Length / (double)Batch:N1} | {message.Length / (double)compressed.Length:N1} | {compress:N0} | {inflate:N0} |"));
        }
    }

    private static byte[] EncodedBatch()
    {
        var start = 1_765_000_000_000L;
        var events = Enumerable.Range(0, Batch).Select(i => new Event(
            Encoding.UTF8.GetBytes($"seq={i + 1} level=INFO app=demo msg=\"an application log line for flumek8s local up\""),
            new Dictionary<string, string>
            {
                ["node"] = "node-1",
                ["timestamp"] = (start + i).ToString(CultureInfo.InvariantCulture),
                ["file"] = $"/var/log/apps/app-{i % 4}.log",
                ["tier"] = "app",
            })).ToList();
        var context = new BufferContext();
        EventBatchWriter.Write(events, context);
        return context.Written.WrittenSpan.ToArray();
    }

    private static byte[] Compress(byte[] message, int level)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            gzip.Write(message);
        }
        return output.ToArray();
    }

    private static void Inflate(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        gzip.CopyTo(Stream.Null);
    }

    /// <summary>Nanoseconds of this thread's work per event over all batches (after one warm-up batch).</summary>
    private static double Time(Action batch)
    {
        batch();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < Batches; i++)
        {
            batch();
        }
        var spent = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return spent.TotalNanoseconds / ((double)Batches * Batch);
    }

    private static double Median(int runs, Func<double> run) =>
        Enumerable.Range(0, runs).Select(_ => run()).Order().ElementAt(runs / 2);

    private sealed class BufferContext : SerializationContext
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public override void SetPayloadLength(int payloadLength)
        {
        }

        public override IBufferWriter<byte> GetBufferWriter() => Written;

        public override void Complete()
        {
        }
    }
}
