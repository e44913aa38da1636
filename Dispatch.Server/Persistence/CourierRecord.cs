using Dispatch.Core.Couriers;

namespace Dispatch.Server.Persistence;

/// <summary>A courier account (table couriers).</summary>
public sealed class CourierRecord
{
    public Guid Id { get; set; }

    /// <summary>Unique login handle, e.g. "demo-007".</summary>
    public string Handle { get; set; } = "";

    public string Name { get; set; } = "";

    public string Phone { get; set; } = "";

    public Vehicle Vehicle { get; set; }

    public Equipment Equipment { get; set; }

    public int Capacity { get; set; } = 2;

    public DateTimeOffset CreatedAt { get; set; }
}
