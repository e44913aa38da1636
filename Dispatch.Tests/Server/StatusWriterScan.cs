using System.Text.RegularExpressions;

namespace Dispatch.Tests.Server;

/// <summary>
/// Finds code that can write <c>orders.status</c> in C# sources: an EF <c>SetProperty</c> on an order's Status, SQL
/// <c>update orders set … status =</c>, or an assignment to an order record's Status. Heuristic (text, not semantics), so
/// <see cref="OrderTransitionsOnlyTests"/> keeps an explicit allow-list for what it must not flag.
/// </summary>
internal static partial class StatusWriterScan
{
    public sealed record Hit(string File, int Line, string What, string Text);

    public static IEnumerable<Hit> Scan(string root)
    {
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal)
                || relative.Contains("/Migrations/", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(path);
            foreach (var hit in ScanText(relative, text)) yield return hit;
        }
    }

    public static IEnumerable<Hit> ScanText(string file, string text)
    {
        // EF: any statement that sets a lambda's Status, unless it plainly updates another table (db.Offers.Where(…),
        // db.CustomerNotifications.Where(…)); the query may be a variable, so a statement naming no table counts.
        foreach (Match m in EfSetStatus().Matches(text))
        {
            var start = text.LastIndexOf(';', m.Index) + 1;
            var statement = text[start..m.Index];
            var sets = QueriedSet().Matches(statement).Select(x => x.Groups[1].Value).ToList();
            if (sets.Count == 0 || sets.Contains("Orders")) yield return At(file, text, m.Index, "EF SetProperty on orders.Status");
        }
        // SQL: status in the SET list of an UPDATE of orders (a status in its WHERE is only a condition).
        foreach (Match m in SqlUpdateOrders().Matches(text))
        {
            if (SqlSetsStatus().IsMatch(m.Groups["set"].Value)) yield return At(file, text, m.Index, "SQL update of orders.status");
        }
        // An order record's Status assigned: in its initializer or on a variable (a tracked entity saved later).
        foreach (Match m in NewOrderRecord().Matches(text))
        {
            if (InitializerSetsStatus().IsMatch(m.Value)) yield return At(file, text, m.Index, "OrderRecord created with a Status");
        }
        foreach (Match m in StatusAssignment().Matches(text))
        {
            yield return At(file, text, m.Index, "Status assigned on a variable");
        }
    }

    private static Hit At(string file, string text, int index, string what)
    {
        var line = 1 + text.AsSpan(0, index).Count('\n');
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var lineEnd = text.IndexOf('\n', index);
        return new Hit(file, line, what, text[lineStart..(lineEnd < 0 ? text.Length : lineEnd)].Trim());
    }

    [GeneratedRegex(@"\.([A-Z]\w*)\s*\.\s*Where\(")]
    private static partial Regex QueriedSet();

    [GeneratedRegex(@"SetProperty\(\s*(\w+)\s*=>\s*\1\.Status\s*,")]
    private static partial Regex EfSetStatus();

    [GeneratedRegex(@"update\s+orders\s+(?:as\s+\w+\s+|\w+\s+)?set\s+(?<set>(?:(?!\bwhere\b|\breturning\b|\bfrom\b|"").)*)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SqlUpdateOrders();

    [GeneratedRegex(@"(?<![\w.])(?:\w+\.)?status\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex SqlSetsStatus();

    /// <summary><c>new OrderRecord { … }</c>, or a target-typed <c>new() { … }</c> declared as an OrderRecord.</summary>
    [GeneratedRegex(@"(?:new\s+OrderRecord\s*(?:\(\s*\))?|\bOrderRecord\b[^;{}]*?new\s*\(\s*\))\s*\{.*?\}\s*[;),]", RegexOptions.Singleline)]
    private static partial Regex NewOrderRecord();

    [GeneratedRegex(@"\bStatus\s*=(?!=)")]
    private static partial Regex InitializerSetsStatus();

    /// <summary><c>order.Status = …</c> (not <c>==</c>, not a <c>with { Status = … }</c> copy of a record).</summary>
    [GeneratedRegex(@"\b\w+\.Status\s*=(?![=>])")]
    private static partial Regex StatusAssignment();
}
