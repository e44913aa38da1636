namespace Dispatch.Server.Dispatching;

/// <summary>What answering an offer did: whether the offer was still pending, and whether its order went back to Dispatching.</summary>
internal readonly record struct OfferAnswer(bool Answered, bool Released);
