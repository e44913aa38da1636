namespace Dispatch.Core.Matching;

/// <summary>
/// One row of a batch round's matching: an order, or a bundle of orders of one pickup that one courier is sent for
/// together (<see cref="Members"/>: indexes into the round's orders). <see cref="Options"/>: every courier who may take
/// all of them, with the cost in seconds of serving them now (the members' ranked costs, the delay the shared trip adds to
/// each, less their age credit). <see cref="WaitSeconds"/>: the cost of waiting for a later round instead.
/// </summary>
internal sealed record BatchUnit(int[] Members, List<(Guid CourierId, double Seconds)> Options, double WaitSeconds)
{
    public bool IsBundle => Members.Length > 1;
}
