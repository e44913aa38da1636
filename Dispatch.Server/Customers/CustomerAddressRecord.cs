namespace Dispatch.Server.Customers;

/// <summary>A place a customer saved ("Home", "Office") to pick from when ordering. Degrees.</summary>
internal sealed class CustomerAddressRecord
{
    public Guid Id { get; set; }

    public Guid CustomerId { get; set; }

    public string Label { get; set; } = "";

    public string Address { get; set; } = "";

    public double Lat { get; set; }

    public double Lon { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
