using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>Committed puts and takes with a deadline on every wait, for the file channel's scenario tests.</summary>
internal static class ChannelSteps
{
    public static async Task PutAsync(IChannel channel, params string[] bodies)
    {
        using var put = channel.BeginTransaction();
        put.PutBatch([.. bodies.Select(b => Event.FromText(b))]);
        await Eventually.Within(put.CommitAsync(CancellationToken.None).AsTask());
    }

    public static async Task PutEachAsync(IChannel channel, IEnumerable<string> bodies)
    {
        foreach (var body in bodies)
        {
            await PutAsync(channel, body);
        }
    }

    public static async Task<List<string>> TakeAsync(IChannel channel, int max) => Bodies(await TakeEventsAsync(channel, max));

    public static async Task<List<Event>> TakeEventsAsync(IChannel channel, int max)
    {
        using var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, max);
        await Eventually.Within(take.CommitAsync(CancellationToken.None).AsTask());
        return events;
    }

    /// <summary>Takes and commits until the channel answers nothing; returns every body in order.</summary>
    public static async Task<List<string>> DrainAsync(IChannel channel, int batch = 100) => Bodies(await DrainEventsAsync(channel, batch));

    /// <summary>Takes and commits until the channel answers nothing; returns every event in order.</summary>
    public static async Task<List<Event>> DrainEventsAsync(IChannel channel, int batch = 100)
    {
        var all = new List<Event>();
        while (true)
        {
            var taken = await TakeEventsAsync(channel, batch);
            if (taken.Count == 0)
            {
                return all;
            }
            all.AddRange(taken);
        }
    }

    /// <summary>Opens a take transaction holding up to <paramref name="max"/> events, not committed.</summary>
    public static IChannelTransaction BeginTake(IChannel channel, int max, out List<string> taken)
    {
        var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, max);
        taken = Bodies(events);
        return take;
    }

    public static List<string> Bodies(IEnumerable<Event> events) => [.. events.Select(e => Encoding.UTF8.GetString(e.Body))];

    public static string[] Names(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}")];
}
