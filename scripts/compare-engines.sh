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
# SERVER, LOADTEST, PG and NATS as scripts/cluster.sh says.
set -euo pipefail
messages=${SEED_MESSAGES:-200000}
secret="the compare-engines run shares this secret among its processes"
# shellcheck source=scripts/cluster.sh
source "$(dirname "$0")/cluster.sh"

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
