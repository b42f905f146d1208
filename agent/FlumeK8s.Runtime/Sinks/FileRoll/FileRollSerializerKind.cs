namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>How <c>file_roll</c> writes an event (Flume's <c>sink.serializer</c>).</summary>
public enum FileRollSerializerKind
{
    /// <summary><c>TEXT</c>: the body, then a newline.</summary>
    Text,

    /// <summary><c>HEADER_AND_TEXT</c>: <c>{k=v, k2=v2} </c>, the body, then a newline.</summary>
    HeaderAndText,
}
