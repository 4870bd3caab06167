#!/bin/bash
# Measures two server builds side by side in one run, on this machine: the
# write-path figures in docs/en/performance.md ("The write path"). Each scenario runs
# against a fresh data directory, the two servers one after the other.
#
#   git worktree add /tmp/before <older commit> && (cd /tmp/before && cargo build --release -p messenger-server)
#   cargo build --release -p messenger-server -p messenger-loadtest
#   scripts/compare-servers.sh /tmp/before/target/release/messenger-server target/release/messenger-server SEEDED
#
# SEEDED is a data directory of two users sharing 1,000,000 messages for
# the retries scenario (`messenger-loadtest seed --users 2`); each server
# runs on a copy of it. Seeded by this build's tool, both run on it as it
# is; seeded by the older build's, the newer server also upgrades it at
# its first start. The figures in docs/en/performance.md were taken that way (the older
# tool stopped before the two conversation rows, which were added by
# hand: it seeded each conversation twice when there are two users).
# Without SEEDED the retries scenario is left out.
#
# SCENARIOS (one per line) replaces the list below, e.g. to measure only
# the message path:  SCENARIOS=$'throughput --rates 3500,5000 --step-secs 10\nlatency --secs 20'
#
# PIN=1 runs each server on core 0 and the load tool on core 1 (taskset),
# so that neither takes the other's CPU: the achieved rate is then what one
# server core carries, and a latency tail that stays is not the scheduler
# handing the server's core to the load tool.
set -euo pipefail
before=$1
after=$2
seeded=${3:-}
tool=${LOADTEST:-target/release/messenger-loadtest}
config=scripts/loadtest-server.toml
work=$(mktemp -d)
trap 'pkill -P $$ || true; rm -rf "$work"' EXIT

server_cores=()
tool_cores=()
if [[ ${PIN:-} == 1 ]]; then
    server_cores=(taskset -c 0)
    tool_cores=(taskset -c 1)
fi

serve() { # binary, data directory: starts it and waits for /health
    "${server_cores[@]}" "$1" --config "$config" --data-dir "$2" >"$work/server.log" 2>&1 &
    server=$!
    until curl -sf http://127.0.0.1:8000/health >/dev/null; do sleep 0.05; done
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; }

default_scenarios="throughput --rates 4000,6000,8000,10000,12000,15000 --step-secs 8
latency --secs 20
rest --connections 64 --secs 10"
if [[ -n $seeded ]]; then
    default_scenarios+=$'\nretries --connections 16 --messages 300'
fi
mapfile -t scenarios <<<"${SCENARIOS:-$default_scenarios}"

for scenario in "${scenarios[@]}"; do
    for side in before after; do
        binary=${!side}
        data="$work/$side"
        rm -rf "$data"
        if [[ $scenario == retries* ]]; then cp -r "$seeded" "$data"; fi
        started=$(date +%s.%N)
        serve "$binary" "$data"
        echo "=== $side: $scenario (server up in $(echo "$(date +%s.%N) - $started" | bc) s)"
        # Server CPU per message, where the scenario measures it.
        cpu=()
        if [[ $scenario != retries* ]]; then cpu=(--server-pid "$server"); fi
        # shellcheck disable=SC2086
        "${tool_cores[@]}" "$tool" $scenario "${cpu[@]}" | tail -n 10
        stop
    done
done
