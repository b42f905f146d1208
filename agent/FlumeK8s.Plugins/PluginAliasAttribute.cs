namespace FlumeK8s.Plugins;

/// <summary>
/// A short name the configuration may use for the component (<c>type = upper</c>) besides its full
/// type name (<c>type = Company.Logs.UpperInterceptor</c>) and its assembly-qualified name
/// (<c>type = Company.Logs.UpperInterceptor, Company.Logs</c>). Matched case-insensitively; an alias
/// that a built-in component or another plugin already uses is refused at start.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PluginAliasAttribute(string alias) : Attribute
{
    public string Alias { get; } = alias;
}
