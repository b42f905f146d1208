using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.NetcatUdp;

/// <summary>
/// The netcatudp source's properties. The header naming the sender is <c>remoteAddressHeader</c>
/// in Flume's guide and <c>remoteAddress</c> in Flume's code; either is accepted so existing
/// configs keep working.
/// </summary>
public sealed record NetcatUdpSourceSettings(string Bind, int Port, string? RemoteAddressHeader)
{
    public static NetcatUdpSourceSettings Read(ComponentContext context) => new(
        context.Require("bind"),
        context.RequireInt("port", min: 0, max: 65535),
        context.GetString("remoteAddressHeader") ?? context.GetString("remoteAddress"));
}
