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
/// AvroFlumeEvents encoded and decoded the way the agent does it (by hand: AvroEncoder and
/// <see cref="AvroReader"/>) and by Apache.Avro (its BinaryEncoder driven by
/// <see cref="FlumeEventDatumWriter"/>, as the hdfs sink's avro_event files are written; its
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
        var hand = new ArrayBufferWriter<byte>();
        AvroFlumeEventCodec.WriteArray(hand, events);
        var encoded = hand.WrittenSpan.ToArray();
        var apache = new ArrayBufferWriter<byte>();
        var writer = new FlumeEventDatumWriter(AvroSourceProtocol.EventSchema);
        var encoder = new BinaryEncoder(new BufferWriterStream { Target = apache });
        WriteWithApache(writer, encoder, events);
        if (!apache.WrittenSpan.SequenceEqual(encoded))
        {
            throw new InvalidOperationException("Apache.Avro's encoding differs from the hand-written one");
        }
        var decoded = new List<Event>(Batch);
        var cases = new (string Name, Action Batch)[]
        {
            ("encode, hand-written AvroEncoder into the buffer (the agent's)", () =>
            {
                hand.ResetWrittenCount();
                AvroFlumeEventCodec.WriteArray(hand, events);
            }),
            ("encode, Apache.Avro BinaryEncoder + FlumeEventDatumWriter (not used: slower)", () =>
            {
                apache.ResetWrittenCount();
                WriteWithApache(writer, encoder, events);
            }),
            ("decode, hand-written AvroReader over the frame (the agent's)", () =>
            {
                decoded.Clear();
                var reader = new AvroReader(encoded);
                AvroFlumeEventCodec.ReadArray(ref reader, decoded);
            }),
            ("decode, Apache.Avro BinaryDecoder (not used: allocates declared lengths unchecked)", () =>
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
        // Every case warmed up (tiered compilation settled) before any counts, then the cases take
        // turns run after run, so a slow moment of the machine falls on all of them alike.
        foreach (var (_, batch) in cases)
        {
            Measure(batch, Batches);
        }
        var results = cases.Select(_ => new List<(double Nanoseconds, double Bytes)>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                results[i].Add(Measure(cases[i].Batch, Batches));
            }
        }
        for (var i = 0; i < cases.Length; i++)
        {
            var sorted = results[i].OrderBy(r => r.Nanoseconds).ToList();
            var median = sorted[sorted.Count / 2];
            Console.Error.WriteLine($"{cases[i].Name}: {string.Join(", ", sorted.Select(r => r.Nanoseconds.ToString("N0", CultureInfo.InvariantCulture)))} ns/event");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {cases[i].Name} | {median.Nanoseconds:N0} | {median.Bytes:N0} |"));
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

    private static void WriteWithApache(FlumeEventDatumWriter writer, BinaryEncoder encoder, List<Event> events)
    {
        encoder.WriteArrayStart();
        encoder.SetItemCount(events.Count);
        foreach (var @event in events)
        {
            encoder.StartItem();
            writer.Write(@event, encoder);
        }
        encoder.WriteArrayEnd();
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
