using Dispatch.Core.Couriers;
using Dispatch.Core.Locations;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Contracts;

/// <summary>
/// Courier → server: going online with the equipment and vehicle of this shift, and optionally when the shift ends
/// (no order is offered that could not be handed over by then).
/// </summary>
public sealed record GoOnlineRequest(Equipment Equipment, Vehicle Vehicle, int Capacity, DateTimeOffset? ShiftEndsAt = null);

/// <summary>
/// Server → courier: the session started, and any orders still assigned to this courier. <paramref name="Equipment"/> and
/// <paramref name="Capacity"/> are what dispatch will use (never more than an admin verified); <paramref name="Notice"/>
/// says so when the courier claimed more.
/// </summary>
public sealed record CourierSession(Guid CourierId, string Name, ActiveJob[] ActiveJobs, Equipment Equipment = Equipment.None, int Capacity = 0, string? Notice = null);

/// <summary>Server → courier: an admin suspended this courier; the server closes the connection right after.</summary>
public sealed record SessionEndedMessage(string Reason);

/// <summary>
/// An order the courier is working on, with what is needed to carry it out. <paramref name="Stops"/>: a multi-stop errand's
/// stops between pickup and drop-off, in order (null for an ordinary order).
/// </summary>
public sealed record ActiveJob(
    Guid OrderId,
    string OrderNumber,
    OrderStatus Status,
    OrderKind Kind,
    double PickupLat,
    double PickupLon,
    string PickupAddress,
    double DropoffLat,
    double DropoffLon,
    string DropoffAddress,
    string CustomerPhoneMasked,
    BuyForMeView? BuyForMe = null,
    StopView[]? Stops = null);

/// <summary>Per-fix rejection returned from SendFixes: the index in the batch and why.</summary>
public sealed record FixRejectionInfo(int Index, FixRejection Code, string Reason);

/// <summary>SendFixes result: how many fixes were accepted and which were not.</summary>
public sealed record FixBatchResult(int Accepted, FixRejectionInfo[] Rejected);

/// <summary>
/// Server → courier: an offer to take an order, valid until <paramref name="ExpiresAt"/>. <paramref name="Stops"/>: a multi-stop
/// errand's stops between pickup and drop-off (null for an ordinary order). <paramref name="Bundle"/>: a bundle offer of several
/// orders of one pickup, in one push — every order of it, each as its own offer (its own offer id, which a withdrawal of just
/// that order names); <paramref name="OfferId"/> is then the bundle's id, which accepting or declining answers for all of
/// them, and the other members describe the first order. Null for an offer of one order.
/// </summary>
public sealed record OfferMessage(
    Guid OfferId,
    Guid OrderId,
    string OrderNumber,
    OrderKind Kind,
    double PickupLat,
    double PickupLon,
    string PickupAddress,
    double DropoffLat,
    double DropoffLon,
    string DropoffAddress,
    double DistanceToPickupMetres,
    DateTimeOffset PromisedAt,
    DateTimeOffset ExpiresAt,
    int? PriceCapCents = null,
    StopView[]? Stops = null,
    OfferMessage[]? Bundle = null);

/// <summary>
/// Server → courier: an offer is no longer open (taken by someone else, expired, cancelled). <paramref name="OfferId"/> is the
/// offer's id as pushed: a bundle's id when the whole bundle is gone, one member's own offer id when only that order left the
/// bundle (cancelled, or assigned by a dispatcher) and the rest is still offered.
/// </summary>
public sealed record OfferWithdrawnMessage(Guid OfferId, Guid OrderId, string Reason);

/// <summary>
/// Server → courier: an order assigned to this courier was cancelled, or (<paramref name="Failed"/>) a dispatcher marked it
/// failed after pickup; either way it is no longer theirs.
/// </summary>
public sealed record OrderCancelledMessage(Guid OrderId, string Reason, bool Failed = false);

/// <summary>Server → courier: a dispatcher assigned this order to the courier; <paramref name="Reason"/> is the dispatcher's note, or empty.</summary>
public sealed record JobAssignedMessage(ActiveJob Job, string Reason);

/// <summary>Server → courier: a dispatcher moved this order to another courier before pickup; <paramref name="Reason"/> may be empty.</summary>
public sealed record OrderReassignedMessage(Guid OrderId, string OrderNumber, string Reason);

/// <summary>
/// Server → courier: the orders this courier holds now, all of them (after a Redis outage, when a cancel, reassignment or
/// assignment pushed meanwhile may have reached nobody). An open offer not pending any more is dropped too: the pending ones
/// are pushed again right after this.
/// </summary>
public sealed record JobsInHandMessage(ActiveJob[] Jobs);

/// <summary>
/// Result of accepting an offer: the job to carry out; <paramref name="Jobs"/>: every job the accept gave the courier (one, or
/// each order of a bundle still offered, pickups at one place), <paramref name="Job"/> being the first.
/// </summary>
public sealed record AcceptResult(ActiveJob Job, ActiveJob[]? Jobs = null);

/// <summary>Result of a courier action on an order: the status it moved to and when.</summary>
public sealed record OrderStepResult(Guid OrderId, OrderStatus Status, DateTimeOffset At);
