using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Channels.Null;

/// <summary>How the configuration names and builds the <c>null</c> channel.</summary>
internal static class NullChannelType
{
    public static ComponentType<ChannelPlan> Type { get; } = new("null", context =>
    {
        var settings = NullChannelSettings.Read(context);
        return new ChannelPlan(settings, build => new NullChannel(build.Name, settings, build.Services.Time));
    });
}
