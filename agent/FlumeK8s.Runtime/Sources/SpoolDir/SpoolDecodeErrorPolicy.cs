namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>What to do with bytes that are not valid in <c>inputCharset</c>.</summary>
public enum SpoolDecodeErrorPolicy
{
    /// <summary>Stop reading the file; it is reported and skipped.</summary>
    Fail,

    /// <summary>Replace them with U+FFFD.</summary>
    Replace,

    /// <summary>Drop them.</summary>
    Ignore,
}
