using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <summary>
    /// zone_stats: the statistics roll-up (Reports/StatisticsStore), one row per zone and period (hours = 24: a UTC day).
    /// Written and read by hand-written SQL, so it is not in the EF model.
    /// </summary>
    public partial class ZoneStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE zone_stats (
                    zone text NOT NULL,
                    start timestamptz NOT NULL,
                    hours smallint NOT NULL,
                    delivered integer NOT NULL,
                    cancelled integer NOT NULL,
                    failed integer NOT NULL,
                    on_time integer NOT NULL,
                    click_to_door_mean_s double precision NULL,
                    click_to_door_p90_s double precision NULL,
                    ready_to_pickup_mean_s double precision NULL,
                    offers integer NOT NULL,
                    offers_accepted integer NOT NULL,
                    online_minutes integer NOT NULL,
                    busy_minutes integer NOT NULL,
                    earnings_cents bigint NOT NULL,
                    earnings_per_online_hour_cents double precision NULL,
                    earnings_per_hour_spread double precision NULL,
                    couriers integer NOT NULL,
                    cold_chain_delivered integer NOT NULL,
                    cold_chain_excursions integer NOT NULL,
                    eta_error_mean_s double precision NULL,
                    eta_samples integer NOT NULL,
                    computed_at timestamptz NOT NULL,
                    CONSTRAINT pk_zone_stats PRIMARY KEY (zone, hours, start));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS zone_stats;");
        }
    }
}
