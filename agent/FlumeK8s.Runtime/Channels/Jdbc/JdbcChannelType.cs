using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>How the configuration names and builds the <c>jdbc</c> channel.</summary>
internal static class JdbcChannelType
{
    public static ComponentType<ChannelPlan> Type { get; } = new("jdbc", context =>
    {
        var agent = context.FullPrefix[..context.FullPrefix.IndexOf('.')];
        var settings = JdbcChannelSettings.Read(context, agent, context.Name);
        return new ChannelPlan(settings, build => new JdbcChannel(build.Name, settings, build.Services.Time, build.Services.Logs));
    }, "org.apache.flume.channel.jdbc.JdbcChannel");
}
