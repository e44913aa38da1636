#!/usr/bin/env bash
# Loads an OpenStreetMap extract into the dispatch database as one zone's road network, with osm2pgrouting.
#   usage: infra/import-osm.sh <zone> <extract>      extract: .osm, .osm.gz, .osm.bz2 or .osm.pbf
#   e.g.   infra/import-osm.sh monaco ../shared/data/osm/graphhopper-monaco.osm.gz
# Without an extract, a generated street grid over a box (streets every <spacing> metres, default 150):
#          infra/import-osm.sh <zone> grid:<minLat>,<minLon>,<maxLat>,<maxLon>[,<spacing>]
# The network goes to schema roads_<zone> (tables ways, ways_vertices_pgr); running it again replaces it.
# DISPATCH_PG_DB chooses another database (tests use their own).
set -euo pipefail
source "$(dirname "$0")/env.sh"

zone="${1:-}"; extract="${2:-}"
if [ -z "$zone" ] || [ -z "$extract" ]; then
  echo "usage: infra/import-osm.sh <zone> <extract.osm|.osm.gz|.osm.bz2|.osm.pbf | grid:minLat,minLon,maxLat,maxLon[,spacing]>" >&2; exit 2
fi
[[ "$zone" =~ ^[a-z][a-z0-9_]{0,30}$ ]] || die "zone name '$zone' must be lower-case letters, digits or _ (it becomes schema roads_$zone)"
grid=""
if [[ "$extract" == grid:* ]]; then
  grid="${extract#grid:}"
  [[ "$grid" =~ ^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+(,[0-9]+)?$ ]] || die "grid must be grid:minLat,minLon,maxLat,maxLon[,spacing metres], got '$extract'"
else
  [ -r "$extract" ] || die "cannot read extract '$extract'"
fi

# Start (or check) the services for the default database; the import may target another one.
env -u DISPATCH_PG_DB "$(dirname "$0")/start.sh" >/dev/null

schema="roads_$zone"
export PGPASSWORD="$PG_PASSWORD"
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_db -c "set client_min_messages=warning; drop schema if exists $schema cascade; create schema $schema;"

if [ -n "$grid" ]; then
  IFS=, read -r min_lat min_lon max_lat max_lon spacing <<<"$grid"
  spacing="${spacing:-150}"
  log "generating a street grid every $spacing m over $min_lat,$min_lon..$max_lat,$max_lon into $PG_DB.$schema"
  # The same tables and columns osm2pgrouting makes, so routing cannot tell the difference.
  psql_db <<SQL
set client_min_messages = warning;
create table $schema.ways_vertices_pgr (id bigint primary key, the_geom geometry(Point, 4326) not null);
create table $schema.ways (gid bigserial primary key, source bigint, target bigint, length_m float8, cost float8,
  reverse_cost float8, one_way int default 0, name text, highway text default 'residential', the_geom geometry(LineString, 4326));
with step as (
  select $spacing / 111320.0 as dlat, $spacing / (111320.0 * cos(radians(($min_lat + $max_lat) / 2))) as dlon),
size as (
  select floor(($max_lat - $min_lat) / dlat)::int as ni, floor(($max_lon - $min_lon) / dlon)::int as nj, dlat, dlon from step)
insert into $schema.ways_vertices_pgr
  select i * 100000 + j + 1, st_setsrid(st_makepoint($min_lon + j * dlon, $min_lat + i * dlat), 4326)
  from size, generate_series(0, ni) i, generate_series(0, nj) j;
insert into $schema.ways (source, target, name, the_geom)
  select a.id, b.id, 'Grid street', st_makeline(a.the_geom, b.the_geom)
  from $schema.ways_vertices_pgr a join $schema.ways_vertices_pgr b
    on b.id = a.id + 1 and (a.id - 1) / 100000 = (b.id - 1) / 100000   -- east
    or b.id = a.id + 100000;                                            -- north
update $schema.ways set length_m = st_length(the_geom::geography), cost = st_length(the_geom), reverse_cost = st_length(the_geom);
create index on $schema.ways using gist (the_geom);
create index on $schema.ways_vertices_pgr using gist (the_geom);
SQL
else
  "$(dirname "$0")/install.sh" osm2pgrouting osmium-tool bzip2 >/dev/null
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
  osm="$work/extract.osm"
  case "$extract" in
    *.osm.gz|*.gz)   gunzip -c "$extract" > "$osm" ;;
    *.osm.bz2|*.bz2) bunzip2 -c "$extract" > "$osm" ;;
    *.pbf)           osmium cat --no-progress -o "$osm" "$extract" ;;
    *.osm|*.xml)     cp "$extract" "$osm" ;;
    *) die "unknown extract type '$extract' (expected .osm, .osm.gz, .osm.bz2 or .osm.pbf)" ;;
  esac
  log "importing $(basename "$extract") into $PG_DB.$schema (log: $LOG_DIR/import-$zone.log)"
  osm2pgrouting -f "$osm" -c /usr/share/osm2pgrouting/mapconfig.xml --schema "$schema" --clean \
    -d "$PG_DB" -U "$PG_USER" -h 127.0.0.1 -p "$PG_PORT" -W "$PG_PASSWORD" > "$LOG_DIR/import-$zone.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/import-$zone.log"; die "osm2pgrouting failed; see $LOG_DIR/import-$zone.log"; }
  # The road class (OSM highway=*) decides which vehicles may use an edge and how fast (Dispatch.Core RoadProfile).
  psql_db -c "alter table $schema.ways add column if not exists highway text;
    update $schema.ways w set highway = c.tag_value from $schema.configuration c where c.tag_id = w.tag_id;"
fi
# Routing queries cut the graph to a box around their points: the GiST index on the_geom makes that cheap.
# Extracts hold road fragments cut off from the rest (a driveway at the edge of the extract); points are only
# snapped to the largest connected piece, marked here as routable.
psql_db <<SQL
set client_min_messages = warning;
create index if not exists ${schema}_ways_source_idx on $schema.ways (source);
create index if not exists ${schema}_ways_target_idx on $schema.ways (target);
alter table $schema.ways_vertices_pgr add column if not exists component bigint;
update $schema.ways_vertices_pgr v set component = c.component
  from pgr_connectedComponents('select gid as id, source, target, length_m as cost, length_m as reverse_cost from $schema.ways') c
  where c.node = v.id;
alter table $schema.ways add column if not exists routable boolean not null default false;
update $schema.ways w set routable = true
  from $schema.ways_vertices_pgr v
  where v.id = w.source
    and v.component = (select component from $schema.ways_vertices_pgr where component is not null group by component order by count(*) desc limit 1);
create index if not exists ${schema}_ways_routable_geom_idx on $schema.ways using gist (the_geom) where routable;
analyze $schema.ways;
analyze $schema.ways_vertices_pgr;
SQL
summary=$(psql_db -c "select count(*) || ' road segments, ' || to_char(coalesce(sum(length_m), 0) / 1000.0, 'FM999990.0') || ' km (' || count(*) filter (where routable) || ' in the main connected network)' from $schema.ways")
log "zone $zone: $summary"
