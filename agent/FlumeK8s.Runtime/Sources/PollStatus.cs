namespace FlumeK8s.Runtime.Sources;

/// <summary>What one poll of a source or sink did: moved something (<see cref="Ready"/>) or found nothing (<see cref="Backoff"/>).</summary>
public enum PollStatus
{
    Ready,
    Backoff,
}
