namespace Dispatch.Server.Fleet;

/// <summary>Told of a courier the presence sweep took out of their zone for silence (dispatch withdraws their pending offers).</summary>
internal interface ICourierSilenceListener
{
    Task CourierWentSilentAsync(Guid courierId, CancellationToken ct);
}
