using System.Reflection;
using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// One component class of a plugin: the names the configuration may use for it, the counters it
/// declares, and how to build it. Building means calling its public constructor with what it asks
/// for: the settings, the context, both, or nothing.
/// </summary>
internal sealed class PluginType
{
    private PluginType(Type type, string origin, string? alias)
    {
        Type = type;
        Origin = origin;
        var assembly = type.Assembly.GetName().Name;
        ClassNames = [type.FullName!, $"{type.FullName}, {assembly}", $"{type.FullName},{assembly}"];
        Alias = alias ?? type.FullName!;
        Counters = [.. type.GetCustomAttributes<PluginCounterAttribute>().Select(a => a.Name)];
    }

    public Type Type { get; }

    /// <summary>The plugin file the type comes from, for messages.</summary>
    public string Origin { get; }

    public string Alias { get; }

    public string[] ClassNames { get; }

    public IReadOnlyList<string> Counters { get; }

    /// <summary>How messages name it: <c>Company.Logs.UpperSink (plugin /opt/flumek8s/plugins/Company.Logs.dll)</c>.</summary>
    public string Description => $"{Type.FullName} (plugin {Origin})";

    public static PluginType Of(Type type, string origin) => new(type, origin, type.GetCustomAttribute<PluginAliasAttribute>()?.Alias);

    public bool Matches(string name) =>
        string.Equals(name, Alias, StringComparison.OrdinalIgnoreCase) || ClassNames.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Builds one instance to validate the settings, as part of reading the configuration: a problem in
    /// the settings is reported by the plugin's own getters, a constructor that throws is reported on
    /// <c>type</c>. The instance is only read (a channel's transaction capacity), never started: the API says a constructor holds no resources.
    /// </summary>
    public T? Validate<T>(ComponentContext context, bool counting, Action<string>? report = null) where T : class
    {
        var agent = context.FullPrefix[..context.FullPrefix.IndexOf('.')];
        var counter = counting ? new Metrics.SourceCounter(context.Name, Alias, Counters) : null;
        try
        {
            return Create<T>(new PluginSettings(context), new PluginComponentContext(context.Name, agent, TimeProvider.System, NullLoggerFactory.Instance, counter));
        }
        catch (PluginException e)
        {
            (report ?? (message => context.Error("type", message)))(e.Message);
            return null;
        }
    }

    /// <summary>Builds an instance, or throws <see cref="PluginException"/> saying why not.</summary>
    public T Create<T>(IComponentSettings settings, PluginComponentContext context)
    {
        var constructor = Type.GetConstructors()
            .Where(c => c.GetParameters().All(p => p.ParameterType == typeof(IComponentSettings) || p.ParameterType.IsInstanceOfType(context)))
            .MaxBy(c => c.GetParameters().Length)
            ?? throw new PluginException($"{Description} has no public constructor taking (IComponentSettings, {ContextName()}) or a part of them");
        var arguments = constructor.GetParameters().Select(p => p.ParameterType == typeof(IComponentSettings) ? settings : (object)context).ToArray();
        object instance;
        try
        {
            instance = constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new PluginException($"{Description}: its constructor threw {inner.GetType().Name}: {inner.Message}", inner);
        }
        return (T)instance;
    }

    private string ContextName() =>
        typeof(IInterceptorPlugin).IsAssignableFrom(Type) ? nameof(IComponentContext) : nameof(ICountingComponentContext);
}
