namespace FlumeK8s.Operator.Local;

/// <summary>
/// The layout of the work folder, mirroring where things live in a cluster: a node's directories
/// (hostPath volumes, a DaemonSet agent's state) under <c>nodes/&lt;node&gt;/</c> at their absolute
/// path; a namespace's shared claims under <c>&lt;ns&gt;/claims/&lt;claim&gt;</c>; each pod's own claim
/// or emptyDir, its rendered configuration and its log under <c>&lt;ns&gt;/pods/&lt;pod&gt;/</c>.
/// </summary>
internal sealed class WorkFolder(string root)
{
    /// <summary>Marks a folder as ours: only such a folder is emptied at the start of a run.</summary>
    public const string MarkerFile = ".flumek8s-local";

    public string Root { get; } = Path.GetFullPath(root);

    public string OnNode(string node, string absolutePath) => Path.Combine(Root, "nodes", node, absolutePath.TrimStart('/'));

    public string Claim(string ns, string claim) => Path.Combine(Root, ns, "claims", claim);

    public string Pod(string ns, string pod) => Path.Combine(Root, ns, "pods", pod);

    /// <summary>The pod's own volume (a claim from the StatefulSet's template, or an emptyDir).</summary>
    public string PodState(string ns, string pod) => Path.Combine(Pod(ns, pod), "state");

    /// <summary>
    /// Empties the folder for a new run (old file channels would replay old events and old output would
    /// count as duplicates), refusing one that is not empty and not ours. Null when ready, else the problem.
    /// </summary>
    public string? Prepare()
    {
        if (Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root).Any())
        {
            if (!File.Exists(Path.Combine(Root, MarkerFile)))
            {
                return $"{Root} is not empty and was not made by flumek8s local up; choose another --work-dir";
            }
            Directory.Delete(Root, recursive: true);
        }
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, MarkerFile), "A work folder of flumek8s local up: emptied at the start of every run.\n");
        return null;
    }
}
