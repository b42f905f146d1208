namespace FlumeK8s.Runtime.Configuration;

/// <summary>One key/value pair of a properties file and the line it starts on.</summary>
public sealed record PropertyEntry(string Key, string Value, int Line);
