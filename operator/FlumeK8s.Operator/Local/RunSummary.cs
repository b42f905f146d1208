using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Local;

/// <summary>The end of an <c>--events</c> run: what was generated, found in the last tier's output, lost and duplicated, and how fast.</summary>
internal static class RunSummary
{
    public static string Write(DeliveryTally tally, long generated, double seconds, int kills, TimeSpan? killEvery, RunOutcome outcome, IReadOnlyList<string> outputs, int files)
    {
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(CultureInfo.InvariantCulture, $"  {label,-12}{value}\n");
        text.Append("flumek8s local up: summary\n");
        Line("generated", N(generated));
        Line("delivered", $"{N(tally.Delivered)} distinct events found in {N(files)} output files");
        Line("lost", tally.Lost == 0 ? "0" : $"{N(tally.Lost)} (the first missing is seq={tally.FirstMissing})");
        Line("duplicates", $"{N(tally.Duplicates)} (at-least-once: a batch resent after its acknowledgement was lost)");
        Line("throughput", seconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{N(tally.Delivered / seconds)} events/s end to end ({seconds:F1} s from the first generated event to the last delivered)")
            : "n/a");
        if (killEvery is { } every)
        {
            Line("kills", string.Create(CultureInfo.InvariantCulture, $"{kills} collector processes killed with SIGKILL (every {every.TotalSeconds:0.#} s) and restarted"));
        }
        if (tally.Unexpected > 0)
        {
            Line("other", $"{N(tally.Unexpected)} lines with a seq= outside 1..{N(tally.Expected)} (not from this run)");
        }
        Line("output", string.Join(", ", outputs));
        if (outcome.Interrupted)
        {
            text.Append("  interrupted before every event was delivered\n");
        }
        if (outcome.TimedOut)
        {
            text.Append("  the deadline passed before every event was delivered\n");
        }
        text.Append(tally.Lost == 0 && outcome.Failure is null ? "result: every generated event was delivered\n" : "result: events were lost\n");
        return text.ToString();
    }

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
