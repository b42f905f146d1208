using System.Text.RegularExpressions;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>
/// One <c>filegroups.&lt;g&gt;</c> entry: the files of <see cref="Directory"/> whose whole name
/// matches <see cref="FileNamePattern"/>, and the static <c>headers.&lt;g&gt;.*</c> put on their events.
/// </summary>
public sealed record TaildirFileGroup(string Name, string Directory, Regex FileNamePattern, IReadOnlyDictionary<string, string> Headers);
