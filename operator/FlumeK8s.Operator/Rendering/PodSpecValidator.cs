using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// What the CRD's schema cannot say about a tier's pod fields. A pod label the operator sets itself is
/// refused rather than ignored: the operator's labels select the tier's pods (a changed selector
/// would orphan them) and name them for the Services, so a tier asking for another value would never
/// get it; saying so on ConfigValid beats a silent difference.
/// </summary>
internal static class PodSpecValidator
{
    public static IReadOnlyList<ConfigProblem> Validate(ITier tier)
    {
        var problems = new List<ConfigProblem>();
        var ours = TierNames.Labels(tier);
        foreach (var key in (tier.Spec.Pod.PodLabels ?? new Dictionary<string, string>()).Keys.Where(ours.ContainsKey).Order(StringComparer.Ordinal))
        {
            problems.Add(new ConfigProblem($"spec.podLabels.{key}", 0,
                $"the operator sets this label ({key}={ours[key]}) to select and name the tier's pods; use another key"));
        }
        var tls = HopTlsLayout.Of(tier);
        if (tls.Mode == HopTlsMode.Secret && string.IsNullOrEmpty(tls.SecretName))
        {
            problems.Add(new ConfigProblem("spec.tls.secretName", 0, "mode secret needs the name of a Secret with tls.crt, tls.key and ca.crt"));
        }
        else if (tls.Mode != HopTlsMode.Secret && tls.SecretName is not null)
        {
            problems.Add(new ConfigProblem("spec.tls.secretName", 0, $"only read with mode secret, not {tls.Mode.ToString().ToLowerInvariant()}; remove it or set mode: secret"));
        }
        return problems;
    }
}
