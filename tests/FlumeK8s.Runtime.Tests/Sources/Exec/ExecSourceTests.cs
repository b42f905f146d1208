using System.Globalization;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sources.Exec;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Exec;

public sealed class ExecSourceTests
{
    [Fact]
    public async Task Start_CommandWithoutShell_EachStdoutLineIsAnEventInOrder()
    {
        var pipeline = new TestPipeline();
        var source = Create(pipeline, pipeline.Services, "command=seq 1 45");
        var received = new List<string>();

        await source.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => Collect(pipeline, received) >= 45, "45 lines");
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }

        Assert.Equal(Enumerable.Range(1, 45).Select(Text), received);
        Assert.Equal(45, source.Counter.EventsAccepted);
        Assert.Equal(3, source.Counter.Get("AppendBatchAcceptedCount"));
    }

    [Fact]
    public async Task Start_WithShell_CommandRunsInTheShell()
    {
        var pipeline = new TestPipeline();
        var source = Create(pipeline, pipeline.Services, "command=echo one | tr a-z A-Z; echo two", "shell=/bin/sh -c");
        var received = new List<string>();

        await source.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => Collect(pipeline, received) >= 2, "two lines");
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }

        Assert.Equal(["ONE", "two"], received);
    }

    [Fact]
    public async Task BatchTimeout_FewerLinesThanBatchSize_FlushedWhenTheTimeoutPasses()
    {
        var time = new ManualTimeProvider();
        var pipeline = new TestPipeline();
        var services = AgentServices.ForTests(time: time);
        var source = Create(pipeline, services, "command=echo only; exec sleep 60", "shell=/bin/sh -c", "batchSize=20", "batchTimeout=3000");

        await source.StartAsync(CancellationToken.None);
        try
        {
            // The batch timer exists once the first line is in the batch.
            await Eventually.TrueAsync(() => time.PendingTimers == 1, "the batch timer to start");
            time.Advance(TimeSpan.FromMilliseconds(2999));
            Assert.Equal(0, pipeline.Channel.Counter.Size);

            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => pipeline.Channel.Counter.Size == 1, "the batch to be flushed");
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }

        Assert.Equal(["only"], pipeline.DrainBodies());
    }

    [Fact]
    public async Task Restart_CommandEnds_RunAgainAfterTheThrottle()
    {
        var time = new ManualTimeProvider();
        var pipeline = new TestPipeline();
        var source = Create(pipeline, AgentServices.ForTests(time: time), "command=echo run", "restart=true", "restartThrottle=10000");
        var received = new List<string>();

        await source.StartAsync(CancellationToken.None);
        try
        {
            for (var run = 1; run <= 3; run++)
            {
                await Eventually.TrueAsync(() => Collect(pipeline, received) == run, $"run {run}'s line");
                await Eventually.TrueAsync(() => time.PendingTimers == 1, "the restart throttle");
                time.Advance(TimeSpan.FromMilliseconds(10000));
            }
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }

        Assert.Equal(["run", "run", "run"], received[..3]);
    }

    [Fact]
    public async Task Backpressure_SmallChannelRefuses_EveryLineDeliveredOnceInOrder()
    {
        var pipeline = new TestPipeline(capacity: 50, transactionCapacity: 50, keepAlive: TimeSpan.Zero);
        var source = Create(pipeline, pipeline.Services, "command=seq 1 1000", "batchSize=20");
        var received = new List<string>();

        await source.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => source.Counter.ChannelWriteFails > 0, "the channel to refuse a batch");
            await Eventually.TrueAsync(() => Collect(pipeline, received) >= 1000, "all lines", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }

        Assert.Equal(Enumerable.Range(1, 1000).Select(Text), received);
    }

    [Fact]
    public async Task Stop_CommandStartedChildren_WholeProcessTreeKilled()
    {
        var pipeline = new TestPipeline();
        var source = Create(pipeline, pipeline.Services, "command=sleep 600 & echo $!; wait", "shell=/bin/sh -c", "batchSize=1");
        var received = new List<string>();
        await source.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Collect(pipeline, received) == 1, "the child's pid");
        var child = int.Parse(received[0], CultureInfo.InvariantCulture);
        Assert.True(IsAlive(child));

        await Eventually.Within(source.StopAsync(CancellationToken.None));

        await Eventually.TrueAsync(() => !IsAlive(child), "the shell's child to be killed");
    }

    [Fact]
    public async Task Start_CommandDoesNotExist_ReportedAndSourceStops()
    {
        var pipeline = new TestPipeline();
        var source = Create(pipeline, pipeline.Services, "command=/nonexistent/flumek8s-command");

        await source.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => source.Counter.Get("GenericProcessingFail") == 1, "the start failure to be counted");

        await Eventually.Within(source.StopAsync(CancellationToken.None));
        Assert.Equal(0, pipeline.Channel.Counter.Size);
    }

    [Fact]
    public void Read_Defaults_AreFlumes()
    {
        var (context, problems) = TestPipeline.Context("command=tail -F /var/log/a.log");

        var settings = ExecSourceSettings.Read(context);

        Assert.False(problems.HasErrors);
        Assert.Null(settings.Shell);
        Assert.False(settings.Restart);
        Assert.Equal(TimeSpan.FromMilliseconds(10000), settings.RestartThrottle);
        Assert.False(settings.LogStdErr);
        Assert.Equal(20, settings.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), settings.BatchTimeout);
        Assert.Equal("utf-8", settings.Charset.WebName);
        Assert.Equal(["tail", "-F", "/var/log/a.log"], settings.CommandLine());
    }

    [Fact]
    public void Read_ShellGiven_CommandIsTheShellsLastArgument()
    {
        var (context, _) = TestPipeline.Context("command=cat a | grep b", "shell=/bin/bash -c");

        Assert.Equal(["/bin/bash", "-c", "cat a | grep b"], ExecSourceSettings.Read(context).CommandLine());
    }

    [Fact]
    public void Read_BadValues_EachReportedWithItsKey()
    {
        var (context, problems) = TestPipeline.Context("batchSize=0", "charset=klingon", "restart=maybe");

        ExecSourceSettings.Read(context);

        var keys = problems.Errors.Select(p => p.Key).ToList();
        Assert.Contains("a1.sources.r1.command", keys);
        Assert.Contains("a1.sources.r1.batchSize", keys);
        Assert.Contains("a1.sources.r1.charset", keys);
        Assert.Contains("a1.sources.r1.restart", keys);
    }

    private static ExecSource Create(TestPipeline pipeline, AgentServices services, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(properties);
        var settings = ExecSourceSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        return new ExecSource("r1", settings, pipeline.Processor, services);
    }

    private static int Collect(TestPipeline pipeline, List<string> received)
    {
        received.AddRange(pipeline.DrainBodies());
        return received.Count;
    }

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);

    // A killed child whose parent died may linger as a zombie until reaped: that counts as dead.
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
