namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>One syslog message cut from a stream; <see cref="Truncated"/> when it was longer than the event size (or the connection ended inside it).</summary>
internal readonly record struct SyslogFrame(byte[] Bytes, bool Truncated);
