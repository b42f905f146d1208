namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>A name whose every address is an endpoint on <see cref="Port"/> (a Kubernetes headless Service lists its ready pods so).</summary>
public sealed record DnsTarget(string Name, int Port)
{
    public override string ToString() => $"dns:///{Name}:{Port}";
}
