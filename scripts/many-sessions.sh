#!/bin/bash
# 50,000 idle sessions on this machine: the sessions figure in
# docs/en/performance.md. One process may open no more files than its hard
# limit (`ulimit -Hn`; 20,000 on the build machine, and raising it takes
# CAP_SYS_RESOURCE, which its container does not have), so the sessions are
# spread over PROCESSES servers of one cluster (PostgreSQL + NATS, as in
# operations.md), each with a load tool of its own holding its share. Each
# tool prints its server's memory before and after, and the share of it
# each session takes.
#
#   cargo build --release -p messenger-server -p messenger-loadtest
#   scripts/many-sessions.sh                      # 50,000 over 3 processes
#   SESSIONS=19000 PROCESSES=1 scripts/many-sessions.sh   # one process, SQLite
#
# With PROCESSES=1 the server runs on SQLite, as a school's does. SERVER,
# LOADTEST, PG and NATS as scripts/cluster.sh says.
set -euo pipefail
sessions=${SESSIONS:-50000}
processes=${PROCESSES:-3}
hold=${HOLD_SECS:-20}
secret="the many-sessions run shares this secret among its processes"
# shellcheck source=scripts/cluster.sh
source "$(dirname "$0")/cluster.sh"

settings=()
if ((processes > 1)); then
    fresh_postgres
    settings=("${cluster[@]}")
fi
for ((i = 0; i < processes; i++)); do
    serve $((8000 + i)) "$work/data-$i" "${settings[@]}"
done

share=$(((sessions + processes - 1) / processes))
tools=()
for ((i = 0; i < processes; i++)); do
    "$tool" --server "http://127.0.0.1:$((8000 + i))" connections --n "$share" \
        --hold-secs "$hold" --server-pid "${pids[$i]}" >"$work/tool-$i.log" 2>&1 &
    tools+=($!)
done
failed=0
for ((i = 0; i < processes; i++)); do
    wait "${tools[$i]}" || failed=1
    echo "=== process $((i + 1)) of $processes (port $((8000 + i)))"
    tail -n 6 "$work/tool-$i.log"
done
exit $failed
