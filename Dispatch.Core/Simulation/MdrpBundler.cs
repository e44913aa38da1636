namespace Dispatch.Core.Simulation;

/// <summary>Groups open orders into same-restaurant bundles.</summary>
internal static class MdrpBundler
{
    /// <summary>
    /// Per restaurant, orders by ready time (then id) cut into runs of at most <paramref name="size"/> whose ready
    /// times lie within <paramref name="readySpreadMinutes"/> of the run's first. Ready times before
    /// <paramref name="notBefore"/> count as <paramref name="notBefore"/>: orders that are all ready already hold
    /// each other up by nothing.
    /// </summary>
    public static List<MdrpBundle> ByReadyTime(MdrpInstance instance, IEnumerable<int> orders, int size, int readySpreadMinutes, int notBefore = int.MinValue)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var bundles = new List<MdrpBundle>();
        foreach (var group in orders.GroupBy(o => instance.Orders[o].Restaurant))
        {
            var current = new List<int>();
            foreach (var o in group.OrderBy(o => instance.Orders[o].ReadyTime).ThenBy(o => o))
            {
                if (current.Count > 0 &&
                    (current.Count >= size ||
                     Math.Max(instance.Orders[o].ReadyTime, notBefore) - Math.Max(instance.Orders[current[0]].ReadyTime, notBefore) > readySpreadMinutes))
                {
                    bundles.Add(MdrpBundle.Plan(instance, current));
                    current = [];
                }
                current.Add(o);
            }
            if (current.Count > 0) bundles.Add(MdrpBundle.Plan(instance, current));
        }
        return bundles;
    }
}
