using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// An application's log file in the folder the Meituan example's agent tier tails on the node
/// (hostPath /var/log/apps): numbered lines <c>{prefix} {n} …</c> appended at a given rate.
/// </summary>
public sealed class AppLogFile(string name)
{
    /// <summary>Every file the tests write is named so: what to remove afterwards.</summary>
    public const string TestPrefix = "flumek8s-test-";

    private readonly string _prefix = TestPrefix + name;

    public const string Folder = "/var/log/apps";

    /// <summary>How every line ends: a line read without it was caught half written.</summary>
    public const string Ending = "a line of an application's log, as applications write them";

    public string Prefix => _prefix;

    public string Path => System.IO.Path.Combine(Folder, $"{_prefix}.log");

    /// <summary>Appends lines <paramref name="first"/> … first+count-1, about <paramref name="perSecond"/> a second, flushed every 100 ms.</summary>
    public async Task AppendAsync(long first, long count, int perSecond, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        await using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        var perTick = Math.Max(1, perSecond / 10);
        var text = new StringBuilder();
        for (var n = first; n < first + count;)
        {
            var tick = Task.Delay(100, cancellationToken);
            text.Clear();
            for (var i = 0; i < perTick && n < first + count; i++, n++)
            {
                text.Append(_prefix).Append(' ').Append(n.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Ending).Append('\n');
            }
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            await file.WriteAsync(bytes, cancellationToken);
            await file.FlushAsync(cancellationToken);
            await tick;
        }
    }
}
