namespace FlumeK8s.Operator.Local;

/// <summary>Shows a run's progress while <c>body</c> runs; <c>body</c> reports each new snapshot.</summary>
internal interface IProgressView
{
    Task RunAsync(Func<Action<RunStatus>, Task> body);
}
