namespace FlumeK8s.Operator.Tiers;

/// <summary>The tiers read from a YAML stream and everything wrong with it (a document with a problem yields no tier).</summary>
public sealed record TierReadResult(IReadOnlyList<ITier> Tiers, IReadOnlyList<string> Problems);
