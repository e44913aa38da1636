namespace Dispatch.Core.Simulation;

/// <summary>
/// An on-duty courier carrying out an instruction: known to the dispatcher (it sent the instruction), free at
/// <see cref="FreeAt"/> (whole minutes) at (X, Y), the last drop-off, until then not reachable.
/// </summary>
public sealed record MdrpBusyCourier(int Courier, double X, double Y, int FreeAt);
