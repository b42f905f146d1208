using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Renders a tier's flow as the Flume properties its agents run (agent <c>agent</c>): the structured
/// components, the raw properties, the grpc hop source a collector or store receives on, the grpc
/// sinks to the downstream tier's headless Service, and the directories of file channels and taildir
/// positions on the tier's volume. Problems the renderer can see itself are reported by field; the
/// rest is the runtime validator's job.
/// </summary>
internal static class FlowRenderer
{
    public static (string Text, IReadOnlyList<ConfigProblem> Problems) Render(ITier tier, RenderOptions options)
    {
        var draft = new FlowDraft();
        var placement = options.AgentPlacement;
        var flow = tier.Spec.Flow;
        foreach (var channel in flow.Channels ?? [])
        {
            draft.List("channels", channel.Name);
            draft.Set($"channels.{channel.Name}.type", channel.Type);
            draft.SetAll($"channels.{channel.Name}.", channel.Properties);
        }
        foreach (var source in flow.Sources ?? [])
        {
            AddSource(draft, source.Name, source.Type, source.Channels, source.Interceptors, source.Selector, source.Properties);
        }
        foreach (var sink in flow.Sinks ?? [])
        {
            AddSink(draft, sink.Name, sink.Type, sink.Channel, sink.Properties);
        }
        foreach (var group in flow.SinkGroups ?? [])
        {
            draft.List("sinkgroups", group.Name);
            draft.Set($"sinkgroups.{group.Name}.sinks", string.Join(' ', group.Sinks));
            draft.Set($"sinkgroups.{group.Name}.processor.type", group.Processor?.Type ?? "default");
            draft.SetAll($"sinkgroups.{group.Name}.processor.", group.Processor?.Properties);
        }
        RawProperties.Add(draft, flow.Properties);

        if (tier.Spec.ReceivesHops)
        {
            AddHopSource(draft, tier, tier.Spec.HopSource, placement);
        }
        if (tier.Spec.ForwardTo is { } forward)
        {
            AddForwardSinks(draft, tier, forward, placement);
        }
        if (draft.Lists.Values.All(l => l.Count == 0))
        {
            draft.Problem("spec.flow", "the flow defines no sources, channels or sinks");
        }
        StateDirectories.Add(draft, placement.StateDirectory);
        return (Write(draft, tier), draft.Problems);
    }

    private static void AddSource(FlowDraft draft, string name, string type, IReadOnlyList<string> channels,
        IReadOnlyList<ComponentSpec>? interceptors, SelectorSpec? selector, IReadOnlyDictionary<string, string>? properties)
    {
        var prefix = $"sources.{name}.";
        draft.List("sources", name);
        draft.Set(prefix + "type", type);
        draft.Set(prefix + "channels", string.Join(' ', channels));
        if (selector is not null)
        {
            draft.Set(prefix + "selector.type", selector.Type);
            draft.SetAll(prefix + "selector.", selector.Properties);
        }
        if (interceptors is { Count: > 0 })
        {
            draft.Set(prefix + "interceptors", string.Join(' ', interceptors.Select(i => i.Name)));
            foreach (var interceptor in interceptors)
            {
                draft.Set($"{prefix}interceptors.{interceptor.Name}.type", interceptor.Type);
                draft.SetAll($"{prefix}interceptors.{interceptor.Name}.", interceptor.Properties);
            }
        }
        draft.SetAll(prefix, properties);
    }

    private static void AddSink(FlowDraft draft, string name, string type, string channel, IReadOnlyDictionary<string, string>? properties)
    {
        draft.List("sinks", name);
        draft.Set($"sinks.{name}.type", type);
        draft.Set($"sinks.{name}.channel", channel);
        draft.SetAll($"sinks.{name}.", properties);
    }

    private static void AddHopSource(FlowDraft draft, ITier tier, HopSource? hop, IAgentPlacement placement)
    {
        const string name = AgentLayout.HopSourceName;
        if (draft.Lists["sources"].Contains(name))
        {
            draft.Problem("spec.flow.sources", $"the source name '{name}' is reserved for the grpc source a {tier.Kind} receives on");
        }
        Reserved(draft, "spec.hopSource.properties", hop?.Properties, "type", "channels", "port", "bind");
        var channels = hop?.Channels is { Count: > 0 } listed ? listed : draft.Lists["channels"];
        if (channels.Count == 0)
        {
            draft.Problem("spec.hopSource.channels", "the flow has no channel for the hop source to write to");
            return;
        }
        var properties = new Dictionary<string, string>(hop?.Properties ?? new Dictionary<string, string>())
        {
            ["bind"] = placement.HopBind,
            ["port"] = placement.HopPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (SecuresHops(tier, placement))
        {
            TlsReserved(draft, "spec.hopSource.properties", hop?.Properties, ServerTls);
            // Mutual TLS: only senders holding a certificate from the tier's CAs may deliver.
            properties["ssl"] = "true";
            properties["ssl.certificate"] = HopTlsLayout.CertificateFile;
            properties["ssl.key"] = HopTlsLayout.KeyFile;
            properties["ssl.clientAuth"] = "required";
            properties["ssl.clientCA"] = HopTlsLayout.TrustFile;
        }
        AddSource(draft, name, "grpc", channels, hop?.Interceptors, hop?.Selector, properties);
    }

    private static void AddForwardSinks(FlowDraft draft, ITier tier, ForwardTo forward, IAgentPlacement placement)
    {
        Reserved(draft, "spec.forwardTo.properties", forward.Properties, "type", "channel", "hosts");
        var taken = draft.Lists["sinks"].Select(s => draft.Get($"sinks.{s}.channel")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var channels = forward.Channels is { Count: > 0 } listed ? listed : draft.Lists["channels"].Where(c => !taken.Contains(c)).ToList();
        if (channels.Count == 0)
        {
            draft.Problem("spec.forwardTo.channels", "no channel to forward: every channel of the flow already has a sink; list the channels to forward");
        }
        var hosts = placement.ForwardHosts(tier.Metadata.Namespace ?? TierReader.DefaultNamespace, forward.Name);
        if (SecuresHops(tier, placement))
        {
            TlsReserved(draft, "spec.forwardTo.properties", forward.Properties, ClientTls);
        }
        var sinks = forward.Sinks ?? ForwardTo.DefaultSinks;
        var flowSinks = draft.Lists["sinks"].ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in channels)
        {
            for (var i = 1; i <= sinks; i++)
            {
                var name = ForwardSinkName(channel, i);
                if (flowSinks.Contains(name))
                {
                    draft.Problem("spec.flow.sinks", $"the sink name '{name}' is reserved for a grpc sink forwarding channel {channel}");
                }
                if (!names.Add(name))
                {
                    draft.Problem("spec.forwardTo.channels", $"two forwarded channels would both have a grpc sink named '{name}'; rename one of the channels");
                    continue;
                }
                AddSink(draft, name, "grpc", channel, ForwardSinkProperties(tier, forward, hosts, placement));
            }
        }
    }

    /// <summary>
    /// The first sink of a channel keeps the name it had when one was all a tier could have, so a
    /// tier that adds sinks keeps that sink (and its counters) across the reload; the others are numbered.
    /// </summary>
    private static string ForwardSinkName(string channel, int index) =>
        AgentLayout.ForwardSinkPrefix + channel + (index == 1 ? "" : $"-{index}");

    private static Dictionary<string, string> ForwardSinkProperties(ITier tier, ForwardTo forward, string hosts, IAgentPlacement placement)
    {
        var properties = new Dictionary<string, string>(forward.Properties ?? new Dictionary<string, string>()) { ["hosts"] = hosts };
        properties.TryAdd(AgentLayout.DnsRefreshProperty, AgentLayout.ForwardDnsRefreshMilliseconds);
        if (SecuresHops(tier, placement))
        {
            // The receiver's certificate must chain to the trusted CAs; ours proves who is sending.
            properties["ssl"] = "true";
            properties["truststore"] = HopTlsLayout.TrustFile;
            properties["ssl.certificate"] = HopTlsLayout.CertificateFile;
            properties["ssl.key"] = HopTlsLayout.KeyFile;
        }
        return properties;
    }

    private static void Reserved(FlowDraft draft, string field, IReadOnlyDictionary<string, string>? properties, params string[] keys)
    {
        foreach (var key in keys.Where(k => properties?.ContainsKey(k) == true))
        {
            draft.Problem($"{field}.{key}", "set by the operator; remove it");
        }
    }

    private static readonly string[] ServerTls = ["ssl", "ssl.certificate", "ssl.key", "ssl.clientAuth", "ssl.clientCA", "keystore"];
    private static readonly string[] ClientTls = ["ssl", "truststore", "truststore-type", "ssl.certificate", "ssl.key", "keystore", "trust-all-certs"];

    private static bool SecuresHops(ITier tier, IAgentPlacement placement) => placement.SecuresHops && HopTlsLayout.Applies(tier);

    private static void TlsReserved(FlowDraft draft, string field, IReadOnlyDictionary<string, string>? properties, string[] keys)
    {
        foreach (var key in keys.Where(k => properties?.ContainsKey(k) == true))
        {
            draft.Problem($"{field}.{key}", "set by spec.tls; remove it, or set spec.tls.mode to none to configure the hop's TLS by hand");
        }
    }

    private static string Write(FlowDraft draft, ITier tier)
    {
        var writer = new PropertiesWriter();
        writer.Comment($"Rendered by the flumek8s operator from {tier.Kind} {tier.Metadata.Namespace}/{tier.Metadata.Name}; edit the tier, not this file.");
        foreach (var kind in AgentConfiguration.Kinds.Where(k => draft.Lists[k].Count > 0))
        {
            writer.Property($"{AgentLayout.AgentName}.{kind}", string.Join(' ', draft.Lists[kind]));
        }
        writer.BlankLine();
        // One block per component, in the order components first appear (keys added later, such as a
        // file channel's directories, join their component's block).
        var first = true;
        foreach (var block in draft.All.GroupBy(e => string.Join('.', e.Key.Split('.').Take(2)), StringComparer.Ordinal))
        {
            if (!first)
            {
                writer.BlankLine();
            }
            first = false;
            foreach (var (key, value) in block)
            {
                writer.Property($"{AgentLayout.AgentName}.{key}", value);
            }
        }
        return writer.ToString();
    }

    /// <summary>The alias of a channel or source type as the runtime resolves it (aliases or Flume class names).</summary>
    public static string? ChannelAlias(string type) => ComponentCatalog.Default.Channels.FirstOrDefault(t => t.Matches(type))?.Alias;

    public static string? SourceAlias(string type) => ComponentCatalog.Default.Sources.FirstOrDefault(t => t.Matches(type))?.Alias;
}
