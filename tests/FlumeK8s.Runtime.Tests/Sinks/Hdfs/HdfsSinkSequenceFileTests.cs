using System.Globalization;
using System.Text;
using System.Text.Json;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Sinks.Hdfs.HdfsSinkHarness;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

/// <summary>
/// SequenceFiles the sink writes, read back by an independent python3 reader written from
/// Hadoop's format description (header, records, sync escapes, WritableUtils vints).
/// </summary>
public sealed class HdfsSinkSequenceFileTests : IDisposable
{
    private const string ReadSequenceFile = """
        import sys, json, struct
        data = open(sys.argv[1], 'rb').read()
        pos = 0
        def take(n):
            global pos
            if pos + n > len(data):
                raise Exception('truncated at %d' % pos)
            chunk = data[pos:pos + n]
            pos += n
            return chunk
        def vlong():
            first = struct.unpack('>b', take(1))[0]
            if first >= -112:
                return first
            negative = first < -120
            size = (-120 - first) if negative else (-112 - first)
            value = int.from_bytes(take(size), 'big')
            return ~value if negative else value
        def text():
            return take(vlong()).decode('utf-8')
        assert take(3) == b'SEQ', 'magic'
        version = take(1)[0]
        key_class, value_class = text(), text()
        compressed, block = take(1)[0], take(1)[0]
        meta = struct.unpack('>i', take(4))[0]
        sync = take(16)
        records, syncs = [], []
        while pos < len(data):
            start = pos
            length = struct.unpack('>i', take(4))[0]
            if length == -1:
                assert take(16) == sync, 'sync marker at %d' % start
                syncs.append(start)
                continue
            key_length = struct.unpack('>i', take(4))[0]
            assert key_length == 8
            key = struct.unpack('>q', take(8))[0]
            value = take(length - key_length)
            if value_class == 'org.apache.hadoop.io.BytesWritable':
                size = struct.unpack('>i', value[:4])[0]
                body = value[4:]
            else:
                saved, pos_before = data, pos
                data, pos = value, 0
                size = vlong()
                body = value[pos:]
                data, pos = saved, pos_before
            assert size == len(body), 'value length at %d' % start
            records.append({'key': key, 'body': body.hex()})
        print(json.dumps({'version': version, 'keyClass': key_class, 'valueClass': value_class, 'compressed': compressed,
                          'block': block, 'meta': meta, 'syncs': syncs, 'records': records}))
        """;

    private readonly HdfsSinkHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task FlumeDefaults_NoFileType_WritesSequenceFileOfTimestampAndBytesWritable()
    {
        var sink = _h.NewFlumeDefaultSink("hdfs.rollCount=0", "hdfs.rollSize=0");
        var stamped = At("with timestamp", Start.AddMinutes(-3));
        await _h.PutAsync(stamped, Event.FromText(""));
        await ProcessAsync(sink);
        await _h.PutAsync(new Event([0, 1, 2, 255]));
        await ProcessAsync(sink);
        await StopAsync(sink);

        var name = Assert.Single(_h.Files());
        Assert.Equal($"FlumeData.{_h.Series + 1}", name);
        using var json = await ReadAsync(name);
        var root = json.RootElement;
        Assert.Equal(6, root.GetProperty("version").GetInt32());
        Assert.Equal("org.apache.hadoop.io.LongWritable", root.GetProperty("keyClass").GetString());
        Assert.Equal("org.apache.hadoop.io.BytesWritable", root.GetProperty("valueClass").GetString());
        Assert.Equal((0, 0, 0), (root.GetProperty("compressed").GetInt32(), root.GetProperty("block").GetInt32(), root.GetProperty("meta").GetInt32()));
        var now = Start.ToUnixTimeMilliseconds();
        Assert.Equal(
            [(Start.AddMinutes(-3).ToUnixTimeMilliseconds(), Hex("with timestamp")), (now, ""), (now, "000102ff")],
            Records(root));
    }

    [Fact]
    public async Task WriteFormatText_ManyBatchesPastTheSyncInterval_EveryRecordAndSyncMarkersRead()
    {
        var sink = _h.NewFlumeDefaultSink("hdfs.writeFormat=Text", "hdfs.rollCount=0", "hdfs.rollSize=0", "hdfs.batchSize=500");
        // Lengths around the one-byte vint limit (127/128) and longer ones, 3,000 records of ~300 KB.
        var events = Enumerable.Range(0, 3000)
            .Select(i => At(new string((char)('a' + (i % 26)), new[] { 0, 1, 127, 128, 200 }[i % 5]), Start.AddMilliseconds(i)))
            .ToArray();
        for (var i = 0; i < events.Length; i += 500)
        {
            await _h.PutAsync(events[i..(i + 500)]);
            await ProcessAsync(sink);
        }
        await StopAsync(sink);

        using var json = await ReadAsync(Assert.Single(_h.Files()));
        var root = json.RootElement;
        Assert.Equal("org.apache.hadoop.io.Text", root.GetProperty("valueClass").GetString());
        Assert.Equal([.. events.Select(e => (long.Parse(e.GetHeader("timestamp")!, CultureInfo.InvariantCulture), Convert.ToHexStringLower(e.Body)))], Records(root));
        var syncs = root.GetProperty("syncs").EnumerateArray().Select(s => s.GetInt64()).ToList();
        Assert.True(syncs.Count >= 2, $"{syncs.Count} sync markers");
        // The first comes once 100 KiB have been written, before the record that would pass it by more than a record.
        Assert.InRange(syncs[0], 102_400, 102_400 + 300);
    }

    private async Task<JsonDocument> ReadAsync(string name)
    {
        var script = Path.Combine(_h.Root, "read_seq.py");
        await File.WriteAllTextAsync(script, ReadSequenceFile);
        var (code, output, error) = await ExternalTool.RunAsync("python3", script, Path.Combine(_h.Out, name));
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output);
    }

    private static List<(long Key, string Body)> Records(JsonElement root) =>
        [.. root.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("key").GetInt64(), r.GetProperty("body").GetString()!))];

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));
}
