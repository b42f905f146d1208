namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>How <c>file_roll</c> names its files (Flume's <c>sink.pathManager</c>).</summary>
public enum FileRollPathManagerKind
{
    /// <summary><c>DEFAULT</c>: <c>&lt;prefix&gt;&lt;sink start ms&gt;-&lt;n&gt;[.&lt;extension&gt;]</c>.</summary>
    Default,

    /// <summary><c>ROLLTIME</c>: <c>&lt;prefix&gt;&lt;yyyyMMddHHmmss&gt;-&lt;n&gt;[.&lt;extension&gt;]</c>, n restarting each second.</summary>
    RollTime,
}
