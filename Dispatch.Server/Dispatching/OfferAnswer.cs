namespace Dispatch.Server.Dispatching;

/// <summary>
/// What answering an offer did: whether it was still pending, and the orders that went back to Dispatching (its order, or
/// every order of a bundle still offered).
/// </summary>
internal readonly record struct OfferAnswer(bool Answered, IReadOnlyList<Guid> Released);
