namespace Dispatch.Server.Payments;

/// <summary>The providers switched on by settings, by name.</summary>
internal sealed class PaymentProviders(IEnumerable<IPaymentProvider> providers)
{
    private readonly Dictionary<string, IPaymentProvider> _byName = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IPaymentProvider? Find(string? name) => name is not null && _byName.TryGetValue(name, out var p) ? p : null;

    public IReadOnlyCollection<string> Names => _byName.Keys;
}
