namespace Dispatch.Core.Locations;

/// <summary>Why a fix was not accepted. Stable codes for counting; the message is for people.</summary>
public enum FixRejection
{
    None = 0,
    NotANumber,
    LatitudeOutOfRange,
    LongitudeOutOfRange,
    BadAccuracy,
    InFuture,
    TooOld,
    OutOfOrder,
    Replayed,
    ImpossibleSpeed,
    OutsideZone,
    BadSpeed,
    BadHeading,
}
