namespace Dispatch.Core.Locations;

public readonly record struct FixVerdict(FixRejection Rejection, string? Message)
{
    public static FixVerdict Ok { get; } = new(FixRejection.None, null);

    public bool IsAccepted => Rejection == FixRejection.None;
}
