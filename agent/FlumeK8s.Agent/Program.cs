using FlumeK8s.Agent;

return args is [HealthCheck.Flag, ..]
    ? await HealthCheck.RunAsync(args[1..], Console.Error, CancellationToken.None)
    : await AgentProgram.RunAsync(args);
