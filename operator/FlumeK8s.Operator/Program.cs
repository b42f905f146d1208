using System.Runtime.InteropServices;
using FlumeK8s.Operator.Cli;

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
return await OperatorCommand.RunAsync(args, Console.In, Console.Out, Console.Error, stop.Token);

// SIGTERM/SIGINT end the command's work through its token; the command then exits cleanly.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
