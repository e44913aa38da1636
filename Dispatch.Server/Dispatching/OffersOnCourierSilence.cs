using Dispatch.Server.Fleet;

namespace Dispatch.Server.Dispatching;

/// <summary>Dispatch listens to the presence sweep: a courier gone silent loses their pending offers to other couriers.</summary>
internal sealed class OffersOnCourierSilence(OfferAnswers answers) : ICourierSilenceListener
{
    public Task CourierWentSilentAsync(Guid courierId, CancellationToken ct) =>
        answers.WithdrawOffersOfAsync(courierId, "courier went silent", "No position from you for a while, so this offer went to another courier.", ct);
}
