using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Avro.IO;
using FlumeK8s.Runtime.Avro;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Bench;

/// <summary>
/// The avro hop's per-event work in one process, without sockets: an <c>appendBatch</c> array of
/// AvroFlumeEvents encoded and decoded the way the agent does it (Apache.Avro's BinaryEncoder
/// driven by <see cref="FlumeEventDatumWriter"/>; the hand-written <see cref="AvroReader"/>) and
/// the way it does not (the hand-written encoder Apache.Avro replaced; Apache.Avro's
/// BinaryDecoder), so the choice between them rests on figures. Nanoseconds and bytes allocated
/// per event, median of the runs.
/// </summary>
internal static class AvroCodecBench
{
    private const int Batch = 1000;
    private const int Batches = 2000;

    public static void Run(int runs, int bodySize)
    {
        var body = new byte[bodySize];
        Random.Shared.NextBytes(body);
        var events = Enumerable.Range(0, Batch)
            .Select(i => new Event(body, new Dictionary<string, string> { ["host"] = "web-1", ["seq"] = i.ToString(CultureInfo.InvariantCulture) }))
            .ToList();
        var agent = new ArrayBufferWriter<byte>();
        AvroFlumeEventCodec.WriteArray(agent, events);
        var encoded = agent.WrittenSpan.ToArray();
        var hand = new ArrayBufferWriter<byte>();
        WriteByHand(hand, events);
        if (!hand.WrittenSpan.SequenceEqual(encoded))
        {
            throw new InvalidOperationException("The hand-written encoding differs from Apache.Avro's");
        }
        var decoded = new List<Event>(Batch);
        var cases = new (string Name, Action Batch)[]
        {
            ("encode, Apache.Avro BinaryEncoder + FlumeEventDatumWriter (the agent's)", () =>
            {
                agent.ResetWrittenCount();
                AvroFlumeEventCodec.WriteArray(agent, events);
            }),
            ("encode, hand-written into the buffer (replaced)", () =>
            {
                hand.ResetWrittenCount();
                WriteByHand(hand, events);
            }),
            ("decode, hand-written AvroReader over the frame (the agent's)", () =>
            {
                decoded.Clear();
                var reader = new AvroReader(encoded);
                AvroFlumeEventCodec.ReadArray(ref reader, decoded);
            }),
            ("decode, Apache.Avro BinaryDecoder (not used: no bounds checks)", () =>
            {
                decoded.Clear();
                ReadWithApache(new BinaryDecoder(new MemoryStream(encoded, writable: false)), decoded);
            }),
        };
        Console.WriteLine();
        Console.WriteLine($"Avro hop codec, one process: appendBatch of {Batch} AvroFlumeEvents ({bodySize}-byte body, 2 headers), {Batch * Batches:N0} events, median of {runs}:");
        Console.WriteLine();
        Console.WriteLine("| codec | ns/event | bytes allocated/event |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, batch) in cases)
        {
            // Long enough for tiered compilation to reach its optimised code before anything counts.
            Measure(batch, Batches);
            var results = Enumerable.Range(0, runs).Select(_ => Measure(batch, Batches)).OrderBy(r => r.Nanoseconds).ToList();
            var median = results[results.Count / 2];
            Console.Error.WriteLine($"{name}: {string.Join(", ", results.Select(r => r.Nanoseconds.ToString("N0", CultureInfo.InvariantCulture)))} ns/event");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median.Nanoseconds:N0} | {median.Bytes:N0} |"));
        }
    }

    private static (double Nanoseconds, double Bytes) Measure(Action batch, int batches)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            batch();
        }
        var events = (double)batches * Batch;
        return (clock.Elapsed.TotalNanoseconds / events, (GC.GetAllocatedBytesForCurrentThread() - allocated) / events);
    }

    /// <summary>The encoder the agent had before Apache.Avro's: varints and copies straight into the buffer.</summary>
    private static void WriteByHand(IBufferWriter<byte> output, List<Event> events)
    {
        AvroEncoder.WriteLong(output, events.Count);
        foreach (var @event in events)
        {
            var headers = @event.HeadersOrEmpty;
            if (headers.Count > 0)
            {
                AvroEncoder.WriteLong(output, headers.Count);
                foreach (var (key, value) in headers)
                {
                    AvroEncoder.WriteString(output, key);
                    AvroEncoder.WriteString(output, value);
                }
            }
            AvroEncoder.WriteLong(output, 0);
            AvroEncoder.WriteBytes(output, @event.Body);
        }
        AvroEncoder.WriteLong(output, 0);
    }

    private static void ReadWithApache(BinaryDecoder decoder, List<Event> events)
    {
        for (var count = decoder.ReadArrayStart(); count > 0; count = decoder.ReadArrayNext())
        {
            for (var i = 0; i < count; i++)
            {
                Dictionary<string, string>? headers = null;
                for (var pairs = decoder.ReadMapStart(); pairs > 0; pairs = decoder.ReadMapNext())
                {
                    headers ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    for (var j = 0; j < pairs; j++)
                    {
                        var key = decoder.ReadString();
                        headers[key] = decoder.ReadString();
                    }
                }
                events.Add(new Event(decoder.ReadBytes(), headers));
            }
        }
    }
}
