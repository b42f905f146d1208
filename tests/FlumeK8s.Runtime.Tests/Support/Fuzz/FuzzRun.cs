using System.Diagnostics;
using System.Globalization;

namespace FlumeK8s.Runtime.Tests.Support.Fuzz;

/// <summary>Runs a fuzz test's cases from a fixed seed, within a time budget, naming the seed of a case that fails.</summary>
internal static class FuzzRun
{
    /// <summary>Fixed, so every run tries the same inputs; FLUMEK8S_FUZZ_SEED replays or explores another.</summary>
    public static int Seed { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("FLUMEK8S_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20_260_104;

    /// <summary>
    /// Runs up to <paramref name="cases"/> cases, case i with its own <see cref="Fuzzer"/> seeded
    /// <see cref="Seed"/> + i, stopping early when <paramref name="budget"/> has passed so a slow
    /// machine runs fewer cases rather than a longer test.
    /// </summary>
    /// <returns>How many cases ran.</returns>
    public static async Task<int> CasesAsync(string what, int cases, TimeSpan budget, Func<Fuzzer, Task> oneCase)
    {
        var clock = Stopwatch.StartNew();
        var ran = 0;
        for (; ran < cases && (ran == 0 || clock.Elapsed < budget); ran++)
        {
            var fuzzer = new Fuzzer(Seed + ran);
            try
            {
                await oneCase(fuzzer);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"{what} fuzz case {ran} failed (case seed {fuzzer.Seed}; replay the run with FLUMEK8S_FUZZ_SEED={Seed}): {e.Message}", e);
            }
        }
        return ran;
    }
}
