#!/usr/bin/env bash
# Start the throwaway database servers that the engine tests (test/engines/) run against:
#   - PostgreSQL: one cluster in /tmp/fairwatch-pg, 127.0.0.1:55432, trust auth, database `fairwatch`;
#   - ClickHouse: two servers (the two shards of cluster `fairwatch`) in /tmp/fairwatch-ch1 and
#     /tmp/fairwatch-ch2, HTTP 58123/58124, TCP 59000/59001, interserver 59009/59010.
# Everything listens on 127.0.0.1 only. Installs the Debian packages when they are missing.
# Idempotent: servers that already answer are left alone. Non-interactive. Writes the URLs to
# /tmp/fairwatch-services.env (FAIRWATCH_PG_URL, FAIRWATCH_CH_URL, FAIRWATCH_CH_URL2); exports nothing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
PG_PORT=55432
PG_ROOT=/tmp/fairwatch-pg
CH_HTTP=(58123 58124)
CH_TCP=(59000 59001)
CH_INTERSERVER=(59009 59010)
ENV_FILE=/tmp/fairwatch-services.env
t0=$SECONDS

die() { echo "services.sh: ERROR: $*" >&2; exit 1; }
log() { echo "services.sh: $*"; }

# --- install -----------------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
need_install=0
[[ -n "$(pg_bin)" && -x "$(pg_bin)/initdb" ]] || need_install=1
command -v clickhouse-server >/dev/null 2>&1 || [[ -x /usr/sbin/clickhouse-server ]] || need_install=1
command -v clickhouse-client >/dev/null 2>&1 || need_install=1
command -v curl >/dev/null 2>&1 || need_install=1
if (( need_install )); then
  log "installing postgresql, clickhouse and curl (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq postgresql clickhouse-server clickhouse-client curl >/tmp/fairwatch-apt.log 2>&1 \
    || { tail -n 30 /tmp/fairwatch-apt.log >&2; die "apt-get install failed (log: /tmp/fairwatch-apt.log)"; }
  log "installed in $((SECONDS - t0)) s"
fi
PG_BIN="$(pg_bin)"
[[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL initdb not found under /usr/lib/postgresql/*/bin"
CH_SERVER="$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)"
command -v curl >/dev/null 2>&1 || die "curl is needed to probe ClickHouse over HTTP"
id postgres >/dev/null 2>&1 || die "OS user postgres does not exist (the postgresql package creates it)"
id clickhouse >/dev/null 2>&1 || die "OS user clickhouse does not exist (the clickhouse-server package creates it)"
# The packages' own services are not used (policy-rc.d usually blocks them in containers anyway).

as_user() { local u="$1"; shift; runuser -u "$u" -- "$@"; }

# --- PostgreSQL --------------------------------------------------------------------------------
t_pg=$SECONDS
PGDATA="$PG_ROOT/data"
pg_ctl() { as_user postgres "$PG_BIN/pg_ctl" -D "$PGDATA" "$@"; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 2 >/dev/null 2>&1; }

if pg_ready; then
  log "PostgreSQL already answers on 127.0.0.1:$PG_PORT"
else
  mkdir -p "$PG_ROOT"
  chown postgres:postgres "$PG_ROOT"
  chmod 700 "$PG_ROOT"
  if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    rm -rf "$PGDATA"
    as_user postgres "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --no-locale \
      --auth-local=trust --auth-host=trust >"$PG_ROOT/initdb.log" 2>&1 \
      || { cat "$PG_ROOT/initdb.log" >&2; die "initdb failed"; }
    cat >>"$PGDATA/postgresql.conf" <<EOF
# fairwatch test cluster: loopback only, durability off (throwaway data)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_ROOT'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
max_connections = 50
EOF
  fi
  if [[ -f "$PGDATA/postmaster.pid" ]]; then
    # A server of this cluster that is still starting, or a dying one: give it a few seconds.
    for _ in $(seq 1 20); do
      pg_ready && break
      pg_ctl status >/dev/null 2>&1 || break
      sleep 0.5
    done
    # Running but not answering: stop it (it is this script's own throwaway cluster).
    if ! pg_ready && pg_ctl status >/dev/null 2>&1; then pg_ctl -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
    # A stale postmaster.pid (after a crash or a killed run) would block the start.
    if ! pg_ready && ! pg_ctl status >/dev/null 2>&1; then rm -f "$PGDATA/postmaster.pid"; fi
  fi
  pg_ctl -w -t 60 -l "$PG_ROOT/server.log" start >/dev/null \
    || { tail -n 30 "$PG_ROOT/server.log" >&2 || true; die "PostgreSQL did not start on 127.0.0.1:$PG_PORT (log: $PG_ROOT/server.log)"; }
  pg_ready || die "PostgreSQL started but does not answer on 127.0.0.1:$PG_PORT"
fi
psql_q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tA "$@"; }
if [[ "$(psql_q -c "SELECT 1 FROM pg_database WHERE datname = 'fairwatch'")" != 1 ]]; then
  psql_q -c 'CREATE DATABASE fairwatch' || die "could not create database fairwatch"
fi
log "PostgreSQL up in $((SECONDS - t_pg)) s"

# --- ClickHouse --------------------------------------------------------------------------------
t_ch=$SECONDS
ch_ready() { [[ "$(curl -sf --max-time 2 "http://127.0.0.1:$1/?query=SELECT%201" 2>/dev/null)" == 1 ]]; }

start_ch() { # index 0 or 1
  local i=$1 dir="/tmp/fairwatch-ch$(($1 + 1))"
  local http=${CH_HTTP[$i]} tcp=${CH_TCP[$i]} inter=${CH_INTERSERVER[$i]}
  if ch_ready "$http"; then
    log "ClickHouse shard $((i + 1)) already answers on 127.0.0.1:$http"
    return 0
  fi
  mkdir -p "$dir"/{data,tmp,user_files,format_schemas,log}
  sed -e "s|@DIR@|$dir|g" -e "s|@HTTP_PORT@|$http|g" -e "s|@TCP_PORT@|$tcp|g" \
      -e "s|@INTERSERVER_PORT@|$inter|g" -e "s|@SHARD1_TCP_PORT@|${CH_TCP[0]}|g" \
      -e "s|@SHARD2_TCP_PORT@|${CH_TCP[1]}|g" "$here/clickhouse/config.xml.in" >"$dir/config.xml"
  cp "$here/clickhouse/users.xml" "$dir/users.xml"
  chown -R clickhouse:clickhouse "$dir"
  # A previous server of this shard that no longer answers: stop it before starting anew.
  if [[ -s "$dir/server.pid" ]]; then
    local old; old="$(cat "$dir/server.pid")"
    if kill -0 "$old" 2>/dev/null && grep -q clickhouse "/proc/$old/cmdline" 2>/dev/null; then
      kill "$old" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$dir/server.pid"
  fi
  (cd "$dir" && as_user clickhouse "$CH_SERVER" --config-file="$dir/config.xml" \
      --pid-file="$dir/server.pid" --daemon) >"$dir/launch.log" 2>&1 \
    || { cat "$dir/launch.log" >&2; die "ClickHouse shard $((i + 1)) failed to launch"; }
}

wait_ch() {
  local i=$1 dir="/tmp/fairwatch-ch$(($1 + 1))" http=${CH_HTTP[$1]}
  for _ in $(seq 1 120); do # up to 60 s
    ch_ready "$http" && return 0
    sleep 0.5
  done
  { tail -n 30 "$dir/log/clickhouse-server.err.log"; cat "$dir/log/stderr.log" "$dir/launch.log"; } >&2 2>/dev/null || true
  die "ClickHouse shard $((i + 1)) does not answer SELECT 1 on http://127.0.0.1:$http within 60 s (logs: $dir/log/)"
}

start_ch 0
start_ch 1
wait_ch 0
wait_ch 1
# The cluster must be defined on both servers (a Distributed table on either reaches both shards).
for http in "${CH_HTTP[@]}"; do
  shards="$(curl -sf --max-time 5 "http://127.0.0.1:$http/" \
    --data-binary "SELECT count() FROM system.clusters WHERE cluster = 'fairwatch'" || true)"
  [[ "$shards" == 2 ]] || die "ClickHouse on port $http does not define cluster fairwatch with 2 shards (got '$shards')"
done
log "ClickHouse up in $((SECONDS - t_ch)) s"

PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/fairwatch"
CH_URL="clickhouse://127.0.0.1:${CH_HTTP[0]}/default"
CH_URL2="clickhouse://127.0.0.1:${CH_HTTP[1]}/default"
printf 'FAIRWATCH_PG_URL=%s\nFAIRWATCH_CH_URL=%s\nFAIRWATCH_CH_URL2=%s\n' "$PG_URL" "$CH_URL" "$CH_URL2" >"$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
echo "services up in $((SECONDS - t0)) s: $PG_URL $CH_URL (shard 1) $CH_URL2 (shard 2); written to $ENV_FILE"
