using Microsoft.Extensions.Options;
using Quartz;

namespace Dispatch.Server.Ledger;

/// <summary>Wires the earnings ledger: its options, coordinators, reads, the daily settlement and its Quartz job and trigger.</summary>
internal static class LedgerComposition
{
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<LedgerOptions>().Bind(config.GetSection(LedgerOptions.Section)).ValidateDataAnnotations()
            .Validate(o => CronExpression.TryParse(o.SettlementCron, out _), "Ledger:SettlementCron is not a Quartz cron expression (e.g. \"0 30 0 * * ?\").")
            .ValidateOnStart();
        services.AddSingleton<LedgerReads>();
        services.AddSingleton<CourierEarningsQuery>();
        services.AddSingleton<EarningsPushes>();
        services.AddSingleton<Outbox.IOutboxConsumer>(sp => sp.GetRequiredService<EarningsPushes>());
        services.AddSingleton<AdjustmentCoordinator>();
        services.AddSingleton<WithdrawalCoordinator>();
        services.AddSingleton<DailySettlement>();
        // The job and its daily trigger; the clustered scheduler that runs them is set up in Scheduling/ (AddQuartz calls combine).
        var ledger = config.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        var timeZone = config[$"{DispatchOptions.Section}:{nameof(DispatchOptions.EarningsTimeZone)}"] ?? new DispatchOptions().EarningsTimeZone;
        services.AddQuartz(q =>
        {
            q.AddJob<DailySettlementJob>(j => j.WithIdentity(DailySettlementJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(DailySettlementJob.Key).WithIdentity("ledger-daily-settlement", "ledger")
                .WithCronSchedule(ledger.SettlementCron, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(timeZone)).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder app) => app.MapLedgerApi();
}
