using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TrackPointPartitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // track_points becomes partitioned by UTC day (Archive/TrackPointPartitionJob keeps the days ahead and drops the
            // old ones). No row is copied: the existing table, if it holds any, is attached whole as the partition of every
            // day before tomorrow (track_points_until_YYYYMMDD, dropped once all of it is past the retention); a default
            // partition catches a fix outside every partition rather than failing the writer's COPY.
            migrationBuilder.Sql("""
                ALTER TABLE track_points RENAME TO track_points_unpartitioned;
                ALTER INDEX ix_track_points_courier_id_at RENAME TO ix_track_points_unpartitioned_courier_id_at;
                ALTER INDEX ix_track_points_at RENAME TO ix_track_points_unpartitioned_at;
                CREATE TABLE track_points (
                    courier_id uuid NOT NULL,
                    at timestamptz NOT NULL,
                    position geography(Point, 4326) NOT NULL,
                    accuracy real NOT NULL,
                    speed real NULL,
                    heading real NULL) PARTITION BY RANGE (at);
                CREATE INDEX ix_track_points_courier_id_at ON track_points (courier_id, at);
                CREATE INDEX ix_track_points_at ON track_points USING brin (at);
                CREATE TABLE track_points_default PARTITION OF track_points DEFAULT;
                DO $$
                DECLARE
                    tomorrow date := (now() AT TIME ZONE 'UTC')::date + 1;
                    newest timestamptz := (SELECT max(at) FROM track_points_unpartitioned);
                    bound date;
                    day date;
                BEGIN
                    IF newest IS NULL THEN
                        DROP TABLE track_points_unpartitioned;
                        bound := tomorrow - 1;
                    ELSE
                        bound := greatest(tomorrow, (newest AT TIME ZONE 'UTC')::date + 1);
                        EXECUTE format('ALTER TABLE track_points_unpartitioned RENAME TO %I', 'track_points_until_' || to_char(bound, 'YYYYMMDD'));
                        EXECUTE format('ALTER TABLE track_points ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)',
                            'track_points_until_' || to_char(bound, 'YYYYMMDD'), bound::text || ' 00:00:00+00');
                    END IF;
                    FOR i IN 0..2 LOOP
                        day := bound + i;
                        EXECUTE format('CREATE TABLE %I PARTITION OF track_points FOR VALUES FROM (%L) TO (%L)',
                            'track_points_p' || to_char(day, 'YYYYMMDD'), day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
                    END LOOP;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Every row of every partition back into one plain table.
            migrationBuilder.Sql("""
                CREATE TABLE track_points_plain (
                    courier_id uuid NOT NULL,
                    at timestamptz NOT NULL,
                    position geography(Point, 4326) NOT NULL,
                    accuracy real NOT NULL,
                    speed real NULL,
                    heading real NULL);
                INSERT INTO track_points_plain SELECT courier_id, at, position, accuracy, speed, heading FROM track_points;
                DROP TABLE track_points;
                ALTER TABLE track_points_plain RENAME TO track_points;
                CREATE INDEX ix_track_points_courier_id_at ON track_points (courier_id, at);
                CREATE INDEX ix_track_points_at ON track_points USING brin (at);
                """);
        }
    }
}
