namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>One line cut from a connection: its body, or no body when the line was longer than max-line-length.</summary>
internal readonly record struct NetcatLine(byte[]? Body)
{
    public static NetcatLine TooLong => default;

    public bool IsTooLong => Body is null;
}
