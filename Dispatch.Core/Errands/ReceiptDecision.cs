namespace Dispatch.Core.Errands;

/// <summary>
/// The outcome of a receipt step: the errand after it, or why not (the message is for the person who tried).
/// <see cref="AutoApproved"/> is true when a submitted receipt was at or under the cap.
/// </summary>
public readonly record struct ReceiptDecision(BuyForMe? After, string? Error, bool AutoApproved = false)
{
    public bool IsAllowed => After is not null;

    public static ReceiptDecision Refuse(string error) => new(null, error);
}
