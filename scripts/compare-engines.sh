#!/bin/bash
# The figures in docs/en/performance.md, "Beyond one machine", in one run on this machine:
#   1. one process on SQLite against one on PostgreSQL: send throughput,
#      the login storm, history pages on a seeded database;
#   2. on PostgreSQL + NATS, one process against two: delivery latency at
#      2,000 msg/s (with two, every message crosses from one process to the
#      other) and send throughput.
# Each scenario starts on fresh data: a new data directory, a new
# PostgreSQL database.
#
#   cargo build --release -p messenger-server -p messenger-loadtest
#   scripts/compare-engines.sh
#
# PG (a server URL without a database; `messenger_bench` is dropped and
# made again there) and NATS default to this machine's services.
set -euo pipefail
server=${SERVER:-target/release/messenger-server}
tool=${LOADTEST:-target/release/messenger-loadtest}
pg=${PG:-postgres://postgres@127.0.0.1:5432}
nats=${NATS:-nats://127.0.0.1:4222}
messages=${SEED_MESSAGES:-200000}
config=scripts/loadtest-server.toml
bench=messenger_bench
secret="the compare-engines run shares this secret among its processes"
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

fresh_postgres() {
    psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $bench" -c "CREATE DATABASE $bench"
}
serve() { # port, data directory, then VAR=value settings: starts, waits for /health
    local port=$1 data=$2
    shift 2
    env "$@" "$server" --config "$config" --data-dir "$data" --bind "127.0.0.1:$port" \
        >"$work/server-$port.log" 2>&1 &
    pids+=($!)
    until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.05; done
}
stop_all() {
    kill "${pids[@]}"
    wait "${pids[@]}" 2>/dev/null || true
    pids=()
    rm -rf "$work/data-"*
}
run() { # title, then the tool's arguments
    echo "=== $1"
    shift
    "$tool" "$@" | tail -n 9
}

echo "### 1. SQLite against PostgreSQL, one process"
for scenario in \
    "throughput --rates 2000,4000,6000,8000,10000 --step-secs 8" \
    "login-storm"; do
    serve 8000 "$work/data-sqlite"
    # shellcheck disable=SC2086
    run "SQLite: $scenario" $scenario
    stop_all
    fresh_postgres
    serve 8000 "$work/data-pg" MESSENGER_DATABASE_URL="$pg/$bench"
    # shellcheck disable=SC2086
    run "PostgreSQL: $scenario" $scenario
    stop_all
done

echo "=== seeding 1000 users, $messages messages, and moving them onto PostgreSQL"
"$tool" seed --data-dir "$work/seeded" --messages "$messages" | tail -n 2
fresh_postgres
"$server" migrate-data --from "sqlite:$work/seeded/messenger.db" --to "$pg/$bench" | head -n 1
cp -r "$work/seeded" "$work/data-sqlite"
serve 8000 "$work/data-sqlite"
run "SQLite: history" history
stop_all
serve 8000 "$work/data-pg" MESSENGER_DATABASE_URL="$pg/$bench"
run "PostgreSQL: history" history
stop_all

echo "### 2. PostgreSQL + NATS: one process against two"
cluster=(MESSENGER_DATABASE_URL="$pg/$bench" MESSENGER_CLUSTER_NATS="$nats" MESSENGER_JWT_SECRET="$secret")
for scenario in "latency --secs 20" "throughput --rates 2000,4000,6000,8000 --step-secs 8"; do
    fresh_postgres
    serve 8000 "$work/data-one" "${cluster[@]}"
    # shellcheck disable=SC2086
    run "one process: $scenario" $scenario
    stop_all
    fresh_postgres
    serve 8000 "$work/data-one" "${cluster[@]}"
    serve 8001 "$work/data-two" "${cluster[@]}"
    # shellcheck disable=SC2086
    run "two processes: $scenario" --server http://127.0.0.1:8000,http://127.0.0.1:8001 $scenario
    stop_all
done
