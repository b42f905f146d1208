using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The avro source's properties, with Flume's names and defaults: <c>bind</c> and <c>port</c>
/// (required), <c>compression-type</c> none|deflate, <c>ssl</c> with <c>keystore</c>,
/// <c>keystore-password</c>, <c>keystore-type</c> (PKCS12; JKS is refused with how to convert),
/// <c>include-protocols</c>/<c>exclude-protocols</c>, <c>ipFilter</c> with <c>ipFilterRules</c>.
/// <c>threads</c> is accepted and ignored: connections are served asynchronously, not by a
/// fixed pool. <c>max-frame-size</c> is ours: the largest message (bytes) a client may send.
/// </summary>
public sealed record AvroSourceSettings(
    string Bind,
    int Port,
    bool Deflate,
    AvroSourceSslSettings? Ssl,
    IReadOnlyList<IpFilterRule> IpFilterRules,
    int MaxFrameBytes)
{
    public const int DefaultMaxFrameBytes = 64 * 1024 * 1024;

    public static AvroSourceSettings Read(ComponentContext context)
    {
        var bind = context.Require("bind");
        var port = context.RequireInt("port", min: 0, max: 65535);
        var deflate = context.GetChoice("compression-type", "none", "none", "deflate") == "deflate";
        // Flume sizes its Netty worker pool with it; here every connection is an async task.
        context.GetInt("threads", 0, min: 0);
        var maxFrame = context.GetInt("max-frame-size", DefaultMaxFrameBytes, min: 1024);
        return new AvroSourceSettings(bind, port, deflate, ReadSsl(context), ReadIpFilter(context), maxFrame);
    }

    private static AvroSourceSslSettings? ReadSsl(ComponentContext context)
    {
        if (!context.GetBool("ssl", false))
        {
            return null;
        }
        var keystore = context.Require("keystore");
        var password = context.GetString("keystore-password");
        AvroKeyStores.ReadType(context, "keystore-type", "keystore", AvroKeyStores.Pkcs12);
        if (keystore.Length > 0 && !File.Exists(keystore))
        {
            context.Error("keystore", $"file '{keystore}' does not exist");
        }
        return new AvroSourceSslSettings(keystore, password, AvroTlsProtocols.Read(context));
    }

    private static IReadOnlyList<IpFilterRule> ReadIpFilter(ComponentContext context)
    {
        var enabled = context.GetBool("ipFilter", false);
        var text = context.GetString("ipFilterRules");
        if (!enabled)
        {
            return [];
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            context.Error("ipFilterRules", "ipFilter is true but no rules are given");
            return [];
        }
        var rules = new List<IpFilterRule>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IpFilterRule.TryParse(part, out var problem) is { } rule)
            {
                rules.Add(rule);
            }
            else
            {
                context.Error("ipFilterRules", problem!);
            }
        }
        return rules;
    }
}
