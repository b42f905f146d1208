namespace FlumeK8s.Runtime.Components;

/// <summary>
/// A kind of component the configuration can name: its alias (matched case-insensitively), the
/// Java class names an existing Flume config may use instead, and the step that reads and
/// validates its properties into a <typeparamref name="TPlan"/> that builds instances later.
/// </summary>
public sealed record ComponentType<TPlan>(string Alias, Func<Configuration.ComponentContext, TPlan> Configure, params string[] ClassNames)
{
    public bool Matches(string type) =>
        string.Equals(type, Alias, StringComparison.OrdinalIgnoreCase) || ClassNames.Contains(type, StringComparer.Ordinal);
}
