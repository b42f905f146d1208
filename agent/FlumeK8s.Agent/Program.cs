using FlumeK8s.Agent;

return await AgentProgram.RunAsync(args);
