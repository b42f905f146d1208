namespace FlumeK8s.Operator.Tiers;

/// <summary>
/// The PersistentVolumeClaim of each collector or store pod; <paramref name="ChownVolumes"/>: see
/// <see cref="ITierSpec.ChownVolumes"/>; <paramref name="DeleteClaimAfterDrain"/>: a claim a scale-down drained goes with its pod.
/// </summary>
public sealed record ClaimStorage(string Size = "10Gi", string? StorageClassName = null, bool ChownVolumes = false, bool DeleteClaimAfterDrain = true);
