namespace FlumeK8s.Runtime.Tests.Interceptors.RegexExtractor;

/// <summary>The system clock in a chosen time zone, so date parsing does not depend on the machine's zone.</summary>
internal sealed class FixedZoneTimeProvider(TimeZoneInfo zone) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => zone;

    public static TimeZoneInfo Utc => TimeZoneInfo.Utc;

    public static TimeZoneInfo PlusTwo { get; } = TimeZoneInfo.CreateCustomTimeZone("Test/PlusTwo", TimeSpan.FromHours(2), "+02", "+02");

    /// <summary>Central European rules, built here so tests need no time-zone database.</summary>
    public static TimeZoneInfo CentralEurope { get; } = TimeZoneInfo.CreateCustomTimeZone(
        "Test/CET", TimeSpan.FromHours(1), "CET", "CET", "CEST",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday)),
        ]);
}
