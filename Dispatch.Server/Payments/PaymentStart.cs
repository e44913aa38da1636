namespace Dispatch.Server.Payments;

/// <summary>What the payer's client needs to pay (JSAPI parameters, an H5 or QR link, the sandbox's pay links), as strings.</summary>
internal sealed record PaymentStart(string ProviderRef, IReadOnlyDictionary<string, string> ClientParameters);
