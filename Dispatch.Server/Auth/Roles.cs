namespace Dispatch.Server.Auth;

public static class Roles
{
    public const string Courier = "courier";
    public const string Dispatcher = "dispatcher";
    public const string Admin = "admin";
    public const string Merchant = "merchant";

    public static readonly string[] All = [Courier, Dispatcher, Admin, Merchant];
}
