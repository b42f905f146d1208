using System.IO.Compression;
using System.Text;
using FlumeK8s.Runtime.Hops.Grpc;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

public sealed class LeveledGzipProviderTests
{
    private static readonly byte[] LogLines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i =>
        $"seq={i} level=INFO app=demo node=node-{i % 7} msg=\"request {i * 7919 % 1000} served in {i % 97} ms\"\n")));

    private static byte[] Compress(int level, CompressionLevel asked)
    {
        var output = new MemoryStream();
        using (var gzip = new LeveledGzipProvider(level).CreateCompressionStream(output, asked))
        {
            gzip.Write(LogLines);
        }
        return output.ToArray();
    }

    [Fact]
    public void Compress_HigherLevel_SmallerOutputThatStandardGzipInflates()
    {
        // grpc-dotnet always asks for Fastest: the provider's own level must win.
        var fast = Compress(1, CompressionLevel.Fastest);
        var small = Compress(9, CompressionLevel.Fastest);

        Assert.True(small.Length < fast.Length, $"level 9: {small.Length} bytes, level 1: {fast.Length} bytes");
        foreach (var compressed in new[] { fast, small })
        {
            using var inflate = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            var back = new MemoryStream();
            inflate.CopyTo(back);
            Assert.Equal(LogLines, back.ToArray());
        }
    }
}
