using System.Text;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Writes <c>key = value</c> lines in Java's .properties syntax, escaping what the reader would
/// otherwise interpret (backslashes, line breaks, leading blanks, and in keys the separators), so the
/// agent reads back exactly the strings of the tier resource: <c>.*\.log</c> stays a regex.
/// </summary>
internal sealed class PropertiesWriter
{
    private readonly StringBuilder _text = new();

    public void Comment(string line) => _text.Append("# ").Append(line).Append('\n');

    public void BlankLine() => _text.Append('\n');

    public void Property(string key, string value) =>
        _text.Append(Escape(key, isKey: true)).Append(" = ").Append(Escape(value, isKey: false)).Append('\n');

    public override string ToString() => _text.ToString();

    public static string Escape(string text, bool isKey)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\f': builder.Append(@"\f"); break;
                case ' ' when isKey || i == 0: builder.Append(@"\ "); break;
                case '=' or ':' or '#' or '!' when isKey: builder.Append('\\').Append(c); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }
}
