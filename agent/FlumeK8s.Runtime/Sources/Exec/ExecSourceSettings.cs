using System.Text;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sources.Text;

namespace FlumeK8s.Runtime.Sources.Exec;

/// <summary>The exec source's properties, with Flume's names and defaults.</summary>
public sealed record ExecSourceSettings(
    string Command,
    string? Shell,
    bool Restart,
    TimeSpan RestartThrottle,
    bool LogStdErr,
    int BatchSize,
    TimeSpan BatchTimeout,
    Encoding Charset)
{
    public static ExecSourceSettings Read(ComponentContext context)
    {
        var command = context.Require("command");
        if (context.Contains("command") && string.IsNullOrWhiteSpace(command))
        {
            context.Error("command", "the command is empty");
        }
        var shell = context.GetString("shell");
        if (shell is not null && string.IsNullOrWhiteSpace(shell))
        {
            context.Error("shell", "the shell is empty; leave the property out to run the command without a shell");
        }
        return new ExecSourceSettings(
            command,
            string.IsNullOrWhiteSpace(shell) ? null : shell,
            context.GetBool("restart", false),
            TimeSpan.FromMilliseconds(context.GetLong("restartThrottle", 10000, min: 0)),
            context.GetBool("logStdErr", false),
            context.GetInt("batchSize", 20, min: 1),
            TimeSpan.FromMilliseconds(context.GetLong("batchTimeout", 3000, min: 1)),
            Charsets.Read(context, "charset", "UTF-8"));
    }

    /// <summary>
    /// The program and its arguments. With a shell (e.g. <c>/bin/sh -c</c>) the shell's words come
    /// first and the whole command is its last argument, so pipes and globs work; without one the
    /// command is split on whitespace, as Flume does.
    /// </summary>
    public IReadOnlyList<string> CommandLine() =>
        Shell is null
            ? Command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : [.. Shell.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), Command];
}
