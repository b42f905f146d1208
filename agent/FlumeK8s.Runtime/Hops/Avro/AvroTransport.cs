using System.IO.Compression;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The byte streams of one Avro connection: over the socket (or its TLS layer), optionally one
/// zlib stream per direction for the connection's whole life, as Netty's zlib codec does for
/// Flume's <c>compression-type=deflate</c>. The framing runs inside the compression.
/// </summary>
internal sealed class AvroTransport : IAsyncDisposable
{
    private readonly Stream _connection;

    private AvroTransport(Stream connection, Stream input, Stream output)
    {
        _connection = connection;
        Input = input;
        Output = output;
    }

    public Stream Input { get; }

    public Stream Output { get; }

    public static AvroTransport Create(Stream connection, bool deflate, int compressionLevel)
    {
        if (!deflate)
        {
            return new AvroTransport(connection, connection, connection);
        }
        var input = new ZLibStream(connection, CompressionMode.Decompress, leaveOpen: true);
        var output = new ZLibStream(connection, new ZLibCompressionOptions { CompressionLevel = compressionLevel }, leaveOpen: true);
        return new AvroTransport(connection, input, output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(Output, _connection))
        {
            try
            {
                await Output.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Closing writes the zlib trailer; when the peer is already gone there is no one left to read it.
            }
            await Input.DisposeAsync().ConfigureAwait(false);
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
