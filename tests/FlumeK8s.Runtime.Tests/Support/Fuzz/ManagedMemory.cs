namespace FlumeK8s.Runtime.Tests.Support.Fuzz;

/// <summary>The process's managed heap after a full, forced collection: what is really still held.</summary>
internal static class ManagedMemory
{
    public static long Collected()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <returns>What it says, for the test's output.</returns>
    public static string AssertGrowthBelow(long baseline, long bound, string when)
    {
        var growth = Collected() - baseline;
        var said = $"managed memory grew by {growth / 1024} KiB {when}; the bound is {bound / 1024} KiB";
        Assert.True(growth < bound, said);
        return said;
    }
}
