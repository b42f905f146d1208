namespace FlumeK8s.Operator.Schema;

/// <summary>A field of a resource that its CRD's schema rejects: the field's path and why.</summary>
internal sealed record SchemaProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
