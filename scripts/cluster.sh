# Sourced by the scripts that start several servers on this machine
# (compare-engines.sh, many-sessions.sh): where the programs and services
# are, a scratch directory and the servers' pids (both cleaned up on
# exit), and how to start a server and start again from fresh data.
#
# SERVER and LOADTEST name the binaries (release builds by default); PG
# is a PostgreSQL server URL without a database (`messenger_bench` is
# dropped and made again there) and NATS the bus; both default to this
# machine's services. The sourcing script sets `secret` before sourcing:
# the token secret its processes share.
server=${SERVER:-target/release/messenger-server}
tool=${LOADTEST:-target/release/messenger-loadtest}
pg=${PG:-postgres://postgres@127.0.0.1:5432}
nats=${NATS:-nats://127.0.0.1:4222}
config=scripts/loadtest-server.toml
bench=messenger_bench
work=$(mktemp -d)
pids=()
# The servers are waited for, so that a script run straight after finds
# their ports free.
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

# The settings of a process of the cluster: PostgreSQL, NATS, the secret.
# shellcheck disable=SC2034,SC2154
cluster=(MESSENGER_DATABASE_URL="$pg/$bench" MESSENGER_CLUSTER_NATS="$nats"
    MESSENGER_JWT_SECRET="$secret")

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
