namespace FlumeK8s.Runtime.Channels.File;

/// <summary>What a committed transaction wrote: the events it put, or pointers to the events it took.</summary>
internal enum BlockKind : uint
{
    Put = 1,
    Take = 2,
}
