using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>A log or checkpoint file being appended to through <see cref="FaultyStorage"/>, which decides its faults.</summary>
internal sealed class FaultyAppendFile(FaultyStorage owner, string path, IAppendFile inner) : IAppendFile
{
    public long Length => inner.Length;

    public void Append(ReadOnlySpan<byte> data)
    {
        var allowed = owner.TakeAppendFault(path);
        if (allowed < 0)
        {
            inner.Append(data);
            owner.CountAppend();
            return;
        }
        if (allowed > 0)
        {
            inner.Append(data[..Math.Min(allowed, data.Length)]);
            inner.Sync(); // a crash mid-write leaves exactly these bytes on the disk
            owner.CountAppend();
        }
        throw new IOException($"injected fault: append to {path} failed after {allowed} of {data.Length} bytes");
    }

    public void Sync()
    {
        owner.WaitUntilSyncsReleased();
        if (owner.SyncFails(path))
        {
            throw new IOException($"injected fault: fsync of {path} failed");
        }
        inner.Sync();
        owner.CountSync();
    }

    public void Dispose() => inner.Dispose();
}
