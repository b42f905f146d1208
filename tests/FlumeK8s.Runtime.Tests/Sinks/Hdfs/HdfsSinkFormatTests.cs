using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Sinks.Hdfs.HdfsSinkHarness;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

/// <summary>The files the sink writes, read by the real tools: gzip -d and python3-avro.</summary>
public sealed class HdfsSinkFormatTests : IDisposable
{
    private const string ReadAvro = """
        import sys, json
        from avro.datafile import DataFileReader
        from avro.io import DatumReader
        with open(sys.argv[1], 'rb') as f:
            reader = DataFileReader(f, DatumReader())
            codec = reader.get_meta('avro.codec').decode()
            schema = json.loads(reader.get_meta('avro.schema').decode())
            records = [{'headers': r['headers'], 'body': r['body'].hex()} for r in reader]
        print(json.dumps({'codec': codec, 'schema': schema, 'records': records}))
        """;

    private readonly HdfsSinkHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task CompressedStreamGzip_TwoBatches_GzipDecompressesEveryLine()
    {
        var sink = _h.NewSink("hdfs.fileType=CompressedStream", "hdfs.codeC=gzip", "hdfs.rollCount=0", "hdfs.rollSize=0");
        await WriteOneTwoThenThreeAsync(sink);
        await StopAsync(sink);

        var name = Assert.Single(_h.Files());
        Assert.Equal($"FlumeData.{_h.Series + 1}.gz", name);
        var (code, output, error) = await ExternalTool.RunAsync("gzip", "-dc", Path.Combine(_h.Out, name));
        Assert.True(code == 0, error);
        Assert.Equal("one\ntwo\nthree\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task CompressedStreamGzip_CrashInTheMiddleOfAMember_GzipStillReadsEveryFlushedBatch()
    {
        var sink = _h.NewSink("hdfs.fileType=CompressedStream", "hdfs.codeC=gzip", "hdfs.rollCount=0", "hdfs.rollSize=0");
        await _h.PutTextAsync("batch one");
        await ProcessAsync(sink);
        await _h.PutTextAsync("batch two");
        await ProcessAsync(sink);
        var inUse = Path.Combine(_h.Out, Assert.Single(_h.Files()));
        // A third member cut off halfway, as a crash during its write would leave it.
        using var third = new MemoryStream();
        using (var gzip = new GZipStream(third, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("batch three\n", 50))));
        }
        await using (var file = new FileStream(inUse, FileMode.Append))
        {
            file.Write(third.ToArray().AsSpan(0, (int)third.Length / 2));
        }

        var (code, output, error) = await ExternalTool.RunAsync("gzip", "-dc", inUse);

        Assert.NotEqual(0, code);
        Assert.Contains("unexpected end of file", error);
        Assert.StartsWith("batch one\nbatch two\n", Encoding.UTF8.GetString(output));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("deflate")]
    public async Task AvroEvent_ContainerFile_PythonAvroReadsHeadersAndBodies(string codec)
    {
        var sink = _h.NewSink("serializer=avro_event", "serializer.compressionCodec=" + codec, "serializer.syncIntervalBytes=64",
            "hdfs.rollCount=0", "hdfs.rollSize=0", "hdfs.fileSuffix=.avro");
        var events = Enumerable.Range(0, 20)
            .Select(i => new Event(Encoding.UTF8.GetBytes($"body {i} ✓"), i % 3 == 0 ? null : new() { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["host"] = "web-1" }))
            .ToArray();
        await _h.PutAsync(events[..12]);
        await ProcessAsync(sink);
        await _h.PutAsync(events[12..]);
        await ProcessAsync(sink);
        await StopAsync(sink);

        var name = Assert.Single(_h.Files());
        Assert.EndsWith(".avro", name);
        using var json = JsonDocument.Parse(await ReadAvroAsync(Path.Combine(_h.Out, name)));
        Assert.Equal(codec, json.RootElement.GetProperty("codec").GetString());
        var records = json.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(events.Length, records.Count);
        for (var i = 0; i < events.Length; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(events[i].Body), records[i].GetProperty("body").GetString());
            var headers = records[i].GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(events[i].HeadersOrEmpty.OrderBy(p => p.Key), headers.OrderBy(p => p.Key)!);
        }
    }

    [Fact]
    public async Task AvroEvent_FileStillOpen_PythonAvroReadsEveryFlushedBatchWithFlumesSchema()
    {
        var sink = _h.NewSink("serializer=avro_event", "serializer.compressionCodec=deflate", "hdfs.rollCount=0", "hdfs.rollSize=0");
        await WriteOneTwoThenThreeAsync(sink);

        // Not stopped: the file is in use, and what was flushed must already read as a whole container.
        var output = await ReadAvroAsync(Path.Combine(_h.Out, Assert.Single(_h.Files())));
        using var json = JsonDocument.Parse(output);
        var bodies = json.RootElement.GetProperty("records").EnumerateArray()
            .Select(r => Encoding.UTF8.GetString(Convert.FromHexString(r.GetProperty("body").GetString()!)));
        Assert.Equal(["one", "two", "three"], bodies);
        var schema = json.RootElement.GetProperty("schema");
        Assert.Equal("Event", schema.GetProperty("name").GetString());
        Assert.Equal(["headers", "body"], schema.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        await StopAsync(sink);
    }

    /// <summary>Two batches, "one" and "two" then "three", each processed by the sink.</summary>
    private async Task WriteOneTwoThenThreeAsync(HdfsSink sink)
    {
        await _h.PutTextAsync("one", "two");
        await ProcessAsync(sink);
        await _h.PutTextAsync("three");
        await ProcessAsync(sink);
    }

    private async Task<string> ReadAvroAsync(string path)
    {
        var script = Path.Combine(_h.Root, "read.py");
        await File.WriteAllTextAsync(script, ReadAvro);
        // Debian's python3 is where python3-avro installs itself (a pyenv python on PATH would not have it).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var (code, output, error) = await ExternalTool.RunAsync(python, script, path);
        Assert.True(code == 0, error);
        return Encoding.UTF8.GetString(output);
    }
}
