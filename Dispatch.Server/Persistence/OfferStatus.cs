namespace Dispatch.Server.Persistence;

internal enum OfferStatus
{
    Pending = 0,
    Accepted = 1,
    Declined = 2,
    Expired = 3,
    Withdrawn = 4,
}
