namespace FlumeK8s.Runtime.Configuration;

/// <summary>One named component of an agent's configuration: its kind (sources, channels, sinks, sinkgroups) and properties.</summary>
public sealed record ComponentSection(string Kind, string Name, ComponentContext Context)
{
    /// <summary>The <c>type</c> property; sink groups have none (their processor has one).</summary>
    public string? Type => Context.GetString("type");
}
