#!/usr/bin/env bash
# Starts or stops the benchmark's own PostgreSQL cluster and Redis server on 127.0.0.1, each pinned
# to a core, so load never reaches the shared servers and pg_stat_statements can be preloaded.
#   bench/cluster.sh start|stop|status
# BENCH_PG_PORT (default 25438), BENCH_REDIS_PORT (default 16388), BENCH_DIR (default /tmp/aias-bench),
# BENCH_DB_CPU (PostgreSQL's core, default 0), BENCH_REDIS_CPU (default 1, the default core of the
# servers under test) and BENCH_DB_NICE (PostgreSQL's nice value, default 5) override the defaults.
# Runs PostgreSQL as the postgres OS user.
set -euo pipefail

pg_port="${BENCH_PG_PORT:-25438}"
redis_port="${BENCH_REDIS_PORT:-16388}"
base="${BENCH_DIR:-/tmp/aias-bench}"
cpu="${BENCH_DB_CPU:-0}"
# Redis shares the service's core by default: at 80 % of peak, PostgreSQL and the load generator
# kept core 0 nearly full while the service's core was about two thirds busy (BENCHMARKS.md).
redis_cpu="${BENCH_REDIS_CPU:-1}"
# PostgreSQL's backends get a smaller share of core 0 than the load generator, which plays Blooio's
# servers. Those run on other machines, and a generator that waits behind ten backends sends and
# reads late, which would count as the service's latency (BENCHMARKS.md, "PostgreSQL's priority").
db_nice="${BENCH_DB_NICE:-5}"
data="$base/pg"
pg_bin="$(pg_config --bindir)"

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

start() {
  mkdir -p "$base"
  chown postgres "$base"

  if [ ! -f "$data/PG_VERSION" ]; then
    as_postgres "$pg_bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # The shared server's non-default settings (autovacuum off, 128 MB shared buffers), plus
    # pg_stat_statements so statements and planning time per request can be counted.
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$base'
max_connections = 100
shared_buffers = 128MB
autovacuum = off
max_wal_size = 1GB
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = none
pg_stat_statements.track_planning = on
CONF
  fi

  if ! as_postgres "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # The port is passed at each start, so a cluster made with another BENCH_PG_PORT follows it.
    as_postgres nice -n "$db_nice" taskset -c "$cpu" "$pg_bin/pg_ctl" -D "$data" -l "$base/pg.log" \
      -o "-p $pg_port" -w start >/dev/null
  fi

  # Backends inherit the postmaster's nice value when they fork, and a kept cluster follows a
  # changed BENCH_DB_NICE for its next connections.
  renice -n "$db_nice" -p "$(head -1 "$data/postmaster.pid")" >/dev/null

  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    taskset -c "$redis_cpu" redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" \
      --save "" --appendonly no --dir "$base" --logfile "$base/redis.log" --pidfile "$base/redis.pid"
  else
    # A Redis left running by BENCH_KEEP_SERVERS=1 follows a changed BENCH_REDIS_CPU.
    taskset -pc "$redis_cpu" "$(cat "$base/redis.pid")" >/dev/null
  fi

  echo "PostgreSQL on 127.0.0.1:$pg_port pinned to CPU $cpu at nice $db_nice, Redis on 127.0.0.1:$redis_port pinned to CPU $redis_cpu"
}

stop() {
  if [ -f "$data/PG_VERSION" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
  fi

  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  echo "Stopped the benchmark's PostgreSQL and Redis"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    as_postgres "$pg_bin/pg_ctl" -D "$data" status
    redis-cli -p "$redis_port" ping
    ;;
  *)
    echo "usage: bench/cluster.sh start|stop|status" >&2
    exit 2
    ;;
esac
