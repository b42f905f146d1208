namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>What a finished command left behind: its exit code and everything it printed.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
