namespace Dispatch.Tests.Infrastructure;

/// <summary>The failure <see cref="LoopFaults"/> throws into a background loop: a type no loop expects or handles itself.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
