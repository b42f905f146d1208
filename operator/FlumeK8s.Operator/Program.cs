using FlumeK8s.Operator.Cli;

return await OperatorCommand.RunAsync(args, Console.In, Console.Out, Console.Error, CancellationToken.None);
