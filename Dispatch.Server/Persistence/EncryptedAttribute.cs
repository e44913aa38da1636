namespace Dispatch.Server.Persistence;

/// <summary>
/// Personal data stored encrypted: <see cref="DispatchDbContext"/> maps every property marked so through the app's
/// personal-data converter (Privacy), whichever feature's record holds it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class EncryptedAttribute : Attribute;
