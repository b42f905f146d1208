using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;
using Grpc.Core;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Parses an <c>EventBatch</c> message of flumek8s.proto straight into the agent's events: one
/// body array and the header strings per event, no protobuf object in between. Reads it as
/// protobuf does: unknown fields are skipped (a newer sender may add some), a repeated field
/// keeps its last value, a missing one is empty. Anything that is not protobuf is refused with
/// INVALID_ARGUMENT naming where it broke.
/// </summary>
internal ref struct EventBatchReader
{
    private readonly ReadOnlySpan<byte> _message;
    private int _at;

    private EventBatchReader(ReadOnlySpan<byte> message)
    {
        _message = message;
    }

    public static List<Event> Read(ReadOnlySequence<byte> message)
    {
        if (message.IsSingleSegment)
        {
            return new EventBatchReader(message.FirstSpan).ReadBatch();
        }
        var length = checked((int)message.Length);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(copy);
            return new EventBatchReader(copy.AsSpan(0, length)).ReadBatch();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private List<Event> ReadBatch()
    {
        var events = new List<Event>();
        while (_at < _message.Length)
        {
            var (field, wireType) = ReadTag();
            if (field == 1 && wireType == ProtoWire.LengthDelimited)
            {
                var end = ReadLengthEnd();
                events.Add(ReadEvent(end));
            }
            else
            {
                Skip(wireType, _message.Length);
            }
        }
        return events;
    }

    private Event ReadEvent(int end)
    {
        Dictionary<string, string>? headers = null;
        byte[] body = [];
        while (_at < end)
        {
            var (field, wireType) = ReadTag();
            if (field == 1 && wireType == ProtoWire.LengthDelimited)
            {
                var entryEnd = ReadLengthEnd(end);
                var (key, value) = ReadHeader(entryEnd);
                (headers ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
            }
            else if (field == 2 && wireType == ProtoWire.LengthDelimited)
            {
                var bodyEnd = ReadLengthEnd(end);
                body = _message[_at..bodyEnd].ToArray();
                _at = bodyEnd;
            }
            else
            {
                Skip(wireType, end);
            }
        }
        return new Event(body, headers);
    }

    private (string Key, string Value) ReadHeader(int end)
    {
        var key = "";
        var value = "";
        while (_at < end)
        {
            var (field, wireType) = ReadTag();
            if (field is 1 or 2 && wireType == ProtoWire.LengthDelimited)
            {
                var textEnd = ReadLengthEnd(end);
                var text = Encoding.UTF8.GetString(_message[_at..textEnd]);
                _at = textEnd;
                if (field == 1)
                {
                    key = text;
                }
                else
                {
                    value = text;
                }
            }
            else
            {
                Skip(wireType, end);
            }
        }
        return (key, value);
    }

    private (uint Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        if (field == 0 || field > int.MaxValue)
        {
            throw Invalid($"field number {field} at byte {_at}");
        }
        return ((uint)field, (int)(tag & 7));
    }

    /// <summary>Reads a length and returns where the field ends, refusing one that runs past <paramref name="limit"/>.</summary>
    private int ReadLengthEnd(int limit = -1)
    {
        limit = limit < 0 ? _message.Length : limit;
        var length = ReadVarint();
        // The tag or the length may itself have run past the limit: then nothing fits.
        if (_at > limit || length > (ulong)(limit - _at))
        {
            throw Invalid($"a field of {length} bytes at byte {_at} runs past the end of its message");
        }
        return _at + (int)length;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_at >= _message.Length)
            {
                throw Invalid($"truncated varint at byte {_at}");
            }
            var b = _message[_at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw Invalid($"a varint longer than 10 bytes before byte {_at}");
    }

    private void Skip(int wireType, int limit)
    {
        var skip = wireType switch
        {
            ProtoWire.Varint => 0,
            ProtoWire.Fixed64 => 8,
            ProtoWire.Fixed32 => 4,
            ProtoWire.LengthDelimited => -1,
            _ => throw Invalid($"wire type {wireType} before byte {_at} (groups and unknown wire types are not protobuf 3)"),
        };
        if (wireType == ProtoWire.Varint)
        {
            ReadVarint();
        }
        else if (skip < 0)
        {
            _at = ReadLengthEnd(limit);
        }
        else if (_at + skip > limit)
        {
            throw Invalid($"a fixed-size field at byte {_at} runs past the end of its message");
        }
        else
        {
            _at += skip;
        }
        if (_at > limit)
        {
            throw Invalid($"a field before byte {_at} runs past the end of its message");
        }
    }

    private static RpcException Invalid(string where) =>
        new(new Status(StatusCode.InvalidArgument, "the message is not a valid EventBatch: " + where));
}
