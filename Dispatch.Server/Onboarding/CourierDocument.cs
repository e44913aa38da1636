namespace Dispatch.Server.Onboarding;

/// <summary>A document a registering courier refers to, e.g. kind "licence" with the licence number, or "cold-box-certificate".</summary>
internal sealed record CourierDocument(string? Kind, string? Reference);
