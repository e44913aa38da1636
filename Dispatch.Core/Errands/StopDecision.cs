namespace Dispatch.Core.Errands;

/// <summary>
/// The outcome of completing a stop: the stops after it and the timeline note, or why not (the message is for the courier).
/// </summary>
public readonly record struct StopDecision(IReadOnlyList<ErrandStop>? After, string? Note, string? Error)
{
    public bool IsAllowed => After is not null;

    public static StopDecision Refuse(string error) => new(null, null, error);
}
