namespace Dispatch.Server.Persistence;

/// <summary>One key of the Data Protection key ring (table data_protection_keys), as XML encrypted with the key-encryption key.</summary>
internal sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }

    public string FriendlyName { get; set; } = "";

    public string Xml { get; set; } = "";
}
