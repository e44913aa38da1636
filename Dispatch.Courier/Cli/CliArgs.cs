using System.Globalization;

namespace Dispatch.Courier.Cli;

/// <summary>
/// Hand-rolled argument parsing: <c>command --name value --name=value --flag</c>. A value may start with a single
/// dash (negative numbers); a token starting with "--" is always an option name. Every option must be read by the
/// command, so typos are reported instead of silently ignored.
/// </summary>
internal sealed class CliArgs
{
    public const string ServerEnvironmentVariable = "DISPATCH_SERVER";
    public const string DefaultServer = "http://localhost:5000";

    private readonly Dictionary<string, string?> _options;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CliArgs(string? command, Dictionary<string, string?> options)
    {
        Command = command;
        _options = options;
    }

    public string? Command { get; }

    public static CliArgs Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? command = null;
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (token is "-h" or "-?") token = "--help";
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                var name = token[2..];
                string? value = null;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                name = name.ToLowerInvariant();
                if (name.Length == 0) throw new CliUsageException($"'{token}' is not an option name.");
                if (!options.TryAdd(name, value)) throw new CliUsageException($"Option --{name} is given twice.");
            }
            else if (command is null)
            {
                command = token.ToLowerInvariant();
            }
            else
            {
                throw new CliUsageException($"Unexpected argument '{token}'. Options look like --name value.");
            }
        }
        return new CliArgs(command, options);
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? GetString(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value)) return null;
        return value ?? throw new CliUsageException($"Option --{name} needs a value.");
    }

    public string Require(string name, string hint) =>
        GetString(name) ?? throw new CliUsageException($"Option --{name} is required: {hint}");

    public bool GetFlag(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value)) return false;
        if (value is null) return true;
        return bool.TryParse(value, out var on)
            ? on
            : throw new CliUsageException($"Option --{name} is a flag; use --{name} or --{name}=false.");
    }

    public int GetInt(string name, int defaultValue, int min, int max) => GetIntOrNull(name, min, max) ?? defaultValue;

    public int? GetIntOrNull(string name, int min, int max)
    {
        var text = GetString(name);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new CliUsageException($"Option --{name} must be a whole number from {min} to {max} (got '{text}').");
        return value;
    }

    public double? GetDouble(string name, double min, double max)
    {
        var text = GetString(name);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
            throw new CliUsageException($"Option --{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (got '{text}').");
        return value;
    }

    /// <summary>An enum by name, any case: <c>insulatedBox</c>, <c>InsulatedBox</c>, <c>insulatedbox</c>.</summary>
    public TEnum GetEnum<TEnum>(string name, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        var text = GetString(name);
        if (text is null) return defaultValue;
        var match = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            var names = string.Join(", ", Enum.GetNames<TEnum>().Select(CamelCase));
            throw new CliUsageException($"Option --{name} must be one of {names} (got '{text}').");
        }
        return Enum.Parse<TEnum>(match);
    }

    /// <summary>--server, else the DISPATCH_SERVER environment variable, else http://localhost:5000.</summary>
    public Uri GetServer()
    {
        var text = GetString("server") ?? Environment.GetEnvironmentVariable(ServerEnvironmentVariable) ?? DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliUsageException($"--server must be an http:// or https:// URL such as {DefaultServer} (got '{text}').");
        return uri;
    }

    /// <summary>Fails on options the command did not read: most likely a typo.</summary>
    public void EnsureAllRead()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).Select(k => "--" + k).ToList();
        if (unknown.Count > 0)
            throw new CliUsageException($"Unknown option{(unknown.Count > 1 ? "s" : "")} for '{Command}': {string.Join(", ", unknown)}.");
    }

    public static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
