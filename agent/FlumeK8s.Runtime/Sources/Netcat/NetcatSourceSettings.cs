using System.Text;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>
/// The netcat source's properties, with Flume's names and defaults. <c>batchSize</c> is ours: with
/// <c>ack-every-event=false</c> the lines already received are written in transactions of up to
/// that many events (Flume writes each line on its own), and it is checked against the channel's
/// transactionCapacity.
/// </summary>
public sealed record NetcatSourceSettings(string Bind, int Port, int MaxLineLength, bool AckEveryEvent, Encoding Encoding, int BatchSize)
{
    public static NetcatSourceSettings Read(ComponentContext context) => new(
        context.Require("bind"),
        context.RequireInt("port", min: 0, max: 65535),
        context.GetInt("max-line-length", 512, min: 1),
        context.GetBool("ack-every-event", true),
        ReadEncoding(context),
        context.GetInt("batchSize", 100, min: 1));

    // Lines are split on the byte 0x0A without decoding, so only encodings where a newline is that
    // byte and never part of another character will do; UTF-16 and UTF-32 would split characters.
    private static Encoding ReadEncoding(ComponentContext context)
    {
        var name = context.GetString("encoding", "utf-8");
        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            context.Error("encoding", $"'{name}' is not a known encoding");
            return Encoding.UTF8;
        }
        if (encoding is not UTF8Encoding && !encoding.IsSingleByte)
        {
            context.Error("encoding", $"'{name}' is not supported: netcat needs an encoding where a newline is the single byte 0x0A (utf-8, us-ascii, iso-8859-1)");
            return Encoding.UTF8;
        }
        return encoding;
    }
}
