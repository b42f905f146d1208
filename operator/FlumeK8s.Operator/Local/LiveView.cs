using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FlumeK8s.Operator.Local;

/// <summary>The terminal view: a row per tier and per process (hop port, events in, out, drain rate, channel size and fill), redrawn in place.</summary>
internal sealed class LiveView(string title) : IProgressView
{
    public async Task RunAsync(Func<Action<RunStatus>, Task> body)
    {
        await AnsiConsole.Live(new Text("starting…")).AutoClear(false).StartAsync(async context =>
        {
            await body(status =>
            {
                context.UpdateTarget(Render(status));
                context.Refresh();
            });
        });
    }

    private IRenderable Render(RunStatus status)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"[bold]flumek8s local up[/] {Markup.Escape(title)} · {status.Elapsed:hh\\:mm\\:ss} · {Markup.Escape(status.Phase)}")
            .AddColumn("tier / pod")
            .AddColumn(new TableColumn("port").RightAligned())
            .AddColumn("state")
            .AddColumn(new TableColumn("in").RightAligned())
            .AddColumn(new TableColumn("out").RightAligned())
            .AddColumn(new TableColumn("out/s").RightAligned())
            .AddColumn(new TableColumn("channel").RightAligned());
        foreach (var tier in status.Processes.GroupBy(p => p.Tier))
        {
            var up = tier.Count(p => p.State == "running");
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(tier.Key)}[/]"),
                new Text(""),
                new Markup(up == tier.Count() ? $"[green]{up}/{tier.Count()} up[/]" : $"[yellow]{up}/{tier.Count()} up[/]"),
                new Text(N(tier.Sum(p => p.Counters.In))),
                new Text(N(tier.Sum(p => p.Counters.Out))),
                new Text(N(tier.Sum(p => p.OutRate))),
                new Text(N(tier.Sum(p => p.Counters.ChannelSize))));
            foreach (var process in tier)
            {
                var state = process.State == "running" ? "[green]running[/]" : $"[yellow]{Markup.Escape(process.State)}[/]";
                if (process.Kills > 0)
                {
                    // Killed with SIGKILL and restarted (--kill-every) this many times.
                    state += $" [red]↻{process.Kills}[/]";
                }
                table.AddRow(
                    new Text(" " + process.Pod),
                    new Text(process.HopPort?.ToString(CultureInfo.InvariantCulture) ?? ""),
                    new Markup(state),
                    new Text(N(process.Counters.In)),
                    new Text(N(process.Counters.Out)),
                    new Text(N(process.OutRate)),
                    new Text($"{N(process.Counters.ChannelSize)} {process.Counters.FillPercentage.ToString("F1", CultureInfo.InvariantCulture)}%"));
            }
        }
        var footer = $"generated [bold]{N(status.Generated)}[/]";
        if (status.Delivered is { } delivered)
        {
            footer += $" · delivered [bold]{N(delivered)}[/] of {N(status.Expected ?? 0)}";
        }
        footer += $" · end to end [bold]{N(status.EndToEndRate)}[/] events/s";
        if (status.Kills > 0)
        {
            footer += $" · collectors killed [red]{status.Kills}[/]×";
        }
        return new Rows(table, new Markup(footer), new Markup("[dim]Ctrl+C stops the tiers in order: agents, collectors, stores[/]"));
    }

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
