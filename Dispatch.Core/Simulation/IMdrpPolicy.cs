namespace Dispatch.Core.Simulation;

/// <summary>A dispatch policy: at each decision moment, given what is known now, the instructions to send.</summary>
public interface IMdrpPolicy
{
    IReadOnlyList<MdrpInstruction> Decide(MdrpView view);
}

/// <summary>Pick up <paramref name="Orders"/> (one restaurant) and deliver them in this sequence.</summary>
public sealed record MdrpInstruction(int Courier, IReadOnlyList<int> Orders);

/// <summary>An on-duty courier with no instruction, waiting at (X, Y); <c>Place</c> is "0" or an order id.</summary>
public sealed record MdrpIdleCourier(int Courier, double X, double Y, string Place);

/// <summary>
/// What a policy may see at <see cref="Now"/> (whole minutes): orders placed and not yet assigned, couriers on
/// duty and idle, and on-duty couriers still carrying out an instruction (when and where they will be free: the
/// dispatcher planned it). Nothing from the future: orders not yet placed are not listed.
/// </summary>
public sealed record MdrpView(
    MdrpInstance Instance,
    int Now,
    IReadOnlyList<int> OpenOrders,
    IReadOnlyList<MdrpIdleCourier> IdleCouriers,
    IReadOnlyList<MdrpBusyCourier> BusyCouriers);
