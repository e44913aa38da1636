using Dispatch.Core.Payments;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Payments;

/// <summary>A refund as the order API shows it.</summary>
internal sealed record RefundView(Guid Id, RefundReason Reason, RefundState State, int AmountCents, int? RequestedCents, string Actor, string Note, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt);
