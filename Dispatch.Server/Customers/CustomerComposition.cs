using Dispatch.Server.Catalogue;

namespace Dispatch.Server.Customers;

/// <summary>Wires the customer app: phone sign-in, the service catalogue and quotes, and customers' own orders and addresses.</summary>
internal static class CustomerComposition
{
    public static IServiceCollection AddCustomers(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CustomerOptions>().Bind(config.GetSection(CustomerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CatalogueOptions>().Bind(config.GetSection(CatalogueOptions.Section)).ValidateDataAnnotations()
            .PostConfigure(o =>
            {
                if (o.Services.Count == 0) o.Services = CatalogueDefaults.Services();
            })
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CatalogueOptions>, CatalogueOptionsValidator>();
        services.AddSingleton<ServiceCatalogue>();
        services.AddSingleton<QuoteCoordinator>();
        services.AddSingleton<AddressBook>();
        services.AddSingleton<CustomerOrdersCoordinator>();
        services.AddScoped<CustomerSignInCoordinator>();
        return services;
    }

    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder app) => app.MapCustomersApi().MapCatalogueApi();
}
