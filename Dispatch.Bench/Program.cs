using Dispatch.Bench;

return args switch
{
    ["outbox", .. var rest] => await OutboxBenchmark.RunAsync(rest),
    ["tiles", .. var rest] => await TilesBenchmark.RunAsync(rest),
    ["reports", .. var rest] => await ReportsBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project Dispatch.Bench -c Release -- outbox [--events N] [--per-transaction N] [--writers N] [--rate N] [--seconds N] [--relay-batch N] [--relay-workers N] [--webhook-parallelism N] [--webhook-batch N]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- tiles [--zone monaco] [--min-zoom 14] [--max-zoom 18]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- reports [--zones 20] [--days 366] [--runs 20]");
    return 2;
}
