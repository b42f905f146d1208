using System.Diagnostics;
using System.Globalization;
using FlumeK8s.Runtime.Sources.Files;

namespace FlumeK8s.Runtime.Tests.Sources.Files;

public sealed class NativeFileStatTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Of_ExistingFile_MatchesCoreutilsStat()
    {
        var path = _dir.WriteLines("a.log", ["hello", "world"]);

        var status = NativeFileStat.Of(path);

        var fields = (await RunStatAsync(path)).Split(' ');
        Assert.NotNull(status);
        Assert.Equal(ulong.Parse(fields[0], CultureInfo.InvariantCulture), status.Value.Inode);
        Assert.Equal(12, status.Value.Size);
        Assert.Equal(long.Parse(fields[1], CultureInfo.InvariantCulture), status.Value.ModifiedNanos / 1_000_000_000);
    }

    [Fact]
    public void Of_MissingFile_ReturnsNull()
    {
        Assert.Null(NativeFileStat.Of(_dir.Combine("missing.log")));
        Assert.Null(NativeFileStat.Of(_dir.Combine("missing-dir", "a.log")));
    }

    [Fact]
    public void Of_OpenHandleAfterRenameAndDelete_KeepsInodeAndSeesGrowth()
    {
        var path = _dir.WriteLines("a.log", ["one"]);
        var inode = NativeFileStat.Of(path)!.Value.Inode;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        File.Move(path, path + ".1");
        File.AppendAllText(path + ".1", "two\n");
        var renamed = NativeFileStat.Of(handle, path);
        File.Delete(path + ".1");
        var deleted = NativeFileStat.Of(handle, path);

        Assert.Equal(inode, renamed.Inode);
        Assert.Equal(8, renamed.Size);
        Assert.Equal(inode, deleted.Inode);
        Assert.Equal(8, deleted.Size);
    }

    [Fact]
    public void Of_NewFileAtSamePath_HasDifferentInode()
    {
        var path = _dir.WriteLines("a.log", ["one"]);
        var first = NativeFileStat.Of(path)!.Value.Inode;
        File.Move(path, path + ".1");
        _dir.WriteLines("a.log", ["two"]);

        Assert.NotEqual(first, NativeFileStat.Of(path)!.Value.Inode);
        Assert.Equal(first, NativeFileStat.Of(path + ".1")!.Value.Inode);
    }

    private static async Task<string> RunStatAsync(string path)
    {
        var info = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("%i %Y");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return output.Trim();
    }
}
