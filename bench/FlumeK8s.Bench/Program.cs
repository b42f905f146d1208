using FlumeK8s.Bench;

return await BenchProgram.RunAsync(args);
