using System.Text;
using System.Text.RegularExpressions;
using FlumeK8s.Plugins;

namespace Acme.Logs;

/// <summary>
/// Sets a header (<c>severity</c>) from the first level word found in the body (<c>ERROR</c>,
/// <c>WARN</c>, …, or whatever <c>pattern</c>'s first group matches), <c>defaultSeverity</c> when none is,
/// so a multiplexing selector can route by it; drops the levels listed in <c>drop</c>.
/// </summary>
[PluginAlias("acme-severity")]
public sealed class SeverityInterceptor : IInterceptorPlugin
{
    private readonly Regex _pattern;
    private readonly string _header;
    private readonly string _default;
    private readonly HashSet<string> _drop;

    public SeverityInterceptor(IComponentSettings settings)
    {
        _header = settings.GetString("header", "severity");
        _default = settings.GetString("defaultSeverity", "INFO");
        _drop = new HashSet<string>(settings.GetList("drop"), StringComparer.OrdinalIgnoreCase);
        // A pattern that does not compile throws here: the agent refuses the configuration and says why.
        _pattern = new Regex(settings.GetString("pattern", @"\b(ERROR|WARN|INFO|DEBUG|TRACE)\b"), RegexOptions.CultureInvariant);
    }

    public void Intercept(IList<IEvent> batch)
    {
        for (var i = batch.Count - 1; i >= 0; i--)
        {
            var match = _pattern.Match(Encoding.UTF8.GetString(batch[i].Body));
            var severity = match.Success && match.Groups.Count > 1 ? match.Groups[1].Value : _default;
            if (_drop.Contains(severity))
            {
                batch.RemoveAt(i);
                continue;
            }
            batch[i].Headers[_header] = severity;
        }
    }
}
