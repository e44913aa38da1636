using Microsoft.Extensions.Options;

namespace Dispatch.Server.Catalogue;

/// <summary>Refuses to start on a catalogue that cannot price (names the setting: see <see cref="ServiceCatalogue.Check"/>).</summary>
internal sealed class CatalogueOptionsValidator : IValidateOptions<CatalogueOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogueOptions options) =>
        ServiceCatalogue.Check(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
