namespace FlumeK8s.Runtime.Channels.File;

/// <summary>A log file open for reading, with the reader of the format version its header names.</summary>
internal sealed record OpenLogFile(IReadFile File, ILogVersionReader Version);
