using System.Globalization;

namespace Dispatch.Bench.Scale;

/// <summary>
/// <c>--name value</c> options of a scale benchmark verb, with defaults; every option given must be known, so a typo is an
/// error rather than a silently ignored setting.
/// </summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public BenchArgs(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected an option (--name value), not '{args[i]}'");
            if (i + 1 >= args.Count) throw new ArgumentException($"{args[i]} needs a value");
            _values[args[i][2..]] = args[i + 1];
        }
    }

    public int Number(string name, int fallback, int min = 1)
    {
        var text = Text(name, fallback.ToString(CultureInfo.InvariantCulture));
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new ArgumentException($"--{name} must be a whole number of at least {min}, not '{text}'");
        return value;
    }

    public string Text(string name, string fallback)
    {
        _known.Add(name);
        return _values.TryGetValue(name, out var value) ? value : fallback;
    }

    public string? Optional(string name)
    {
        _known.Add(name);
        return _values.GetValueOrDefault(name);
    }

    /// <summary>Call after reading every option: names given but never read are refused.</summary>
    public void EnsureAllKnown()
    {
        var unknown = _values.Keys.Where(k => !_known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
