namespace Dispatch.Server.Auth;

internal static class Roles
{
    public const string Courier = "courier";
    public const string Dispatcher = "dispatcher";
    public const string Admin = "admin";
    public const string Merchant = "merchant";

    /// <summary>A customer signed in by phone (Customers/); not in <see cref="All"/>: only a phone code makes one.</summary>
    public const string Customer = "customer";

    public static readonly string[] All = [Courier, Dispatcher, Admin, Merchant];
}
