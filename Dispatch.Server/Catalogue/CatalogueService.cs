using Dispatch.Core.Pricing;

namespace Dispatch.Server.Catalogue;

/// <summary>A service as customers see it (GET /api/services), with its pricing rule.</summary>
internal sealed record CatalogueService(
    string Id, string Name, ServiceKind Kind, string Description, string[] Keywords, string[] Zones, PricingRule Pricing);
