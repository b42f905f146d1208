using System.Text.Json;
using FlumeK8s.Plugins;
using Microsoft.Extensions.Logging;

namespace Acme.Logs;

/// <summary>
/// Appends each event to <c>directory/fileName</c> as one JSON object per line,
/// <c>{"headers":{…},"body":"…"}</c> (the body as UTF-8 text), and flushes every batch to disk before
/// the agent commits it, so a batch acknowledged is a batch stored.
/// </summary>
[PluginAlias("acme-jsonlines")]
[PluginCounter(BytesWritten)]
public sealed partial class JsonLinesSink : ISinkPlugin, IAsyncDisposable
{
    private const string BytesWritten = "BytesWrittenCount";

    private readonly string _path;
    private readonly ICountingComponentContext _context;
    private readonly ILogger _logger;
    private readonly MemoryStream _buffer = new();
    private FileStream? _file;

    public JsonLinesSink(IComponentSettings settings, ICountingComponentContext context)
    {
        var directory = settings.Require("directory");
        var fileName = settings.GetString("fileName", "events.jsonl");
        if (fileName.Contains('/'))
        {
            settings.Error("fileName", $"'{fileName}' is a path; give a file name, and the folder as directory");
        }
        _path = Path.Combine(directory, fileName);
        _context = context;
        _logger = context.Logs.CreateLogger<JsonLinesSink>();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        LogOpened(_logger, _context.Name, _path);
        return Task.CompletedTask;
    }

    public async ValueTask DeliverAsync(IReadOnlyList<IEvent> batch, CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException($"Sink {_context.Name} is not started");
        _buffer.SetLength(0);
        using (var json = new Utf8JsonWriter(_buffer))
        {
            foreach (var e in batch)
            {
                json.WriteStartObject();
                json.WriteStartObject("headers");
                foreach (var (key, value) in e.Headers)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
                json.WriteString("body", e.Body.AsSpan()); // UTF-8 text, not base64
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                _buffer.WriteByte((byte)'\n');
            }
        }
        var length = _buffer.Length;
        var start = file.Position;
        try
        {
            await file.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)length), cancellationToken);
            file.Flush(flushToDisk: true);
        }
        catch
        {
            // Cut back what this batch wrote, so the retry does not leave part of it twice.
            file.SetLength(start);
            throw;
        }
        _context.Counters.Add(BytesWritten, length);
    }

    public ValueTask DisposeAsync() => _file?.DisposeAsync() ?? ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} appends JSON lines to {Path}")]
    private static partial void LogOpened(ILogger logger, string sink, string path);
}
