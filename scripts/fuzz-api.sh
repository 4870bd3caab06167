#!/usr/bin/env bash
# The API against its own description: schemathesis (PyPI) generates
# requests from docs/openapi.json for every operation, as an administrator
# and as an ordinary user, and fails on any server error (5xx), any status
# the description does not name for that operation, and any answer that
# does not match its schema or content type. Bounded: each run stops
# after FUZZ_SECONDS (default 45) or 15 examples an operation.
#
#   cargo build -p messenger-server      # .ci/run has it from the tests
#   scripts/fuzz-api.sh
#
# The operations that end the caller's session (logout, a password change,
# disabling, a role change, a password reset of the caller) are left out of
# the runs that share one token; the API suite covers them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
server_bin=${SERVER_BIN:-$root/target/debug/messenger-server}
seconds=${FUZZ_SECONDS:-45}
venv=${FUZZ_VENV:-$root/target/fuzz-venv}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port

if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==4.32.5"
fi

# Load-test limits: thousands of requests from one address in minutes.
"$server_bin" --config "$root/scripts/loadtest-server.toml" --bind 127.0.0.1:$port \
    --data-dir "$work/data" --log warn >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -sf "$url/health" >/dev/null && break
    sleep 0.1
done

token_of() {
    curl -sf -X POST "$url/api/v1/auth/register" -H 'content-type: application/json' \
        -d "{\"username\": \"$1\", \"password\": \"correct horse battery\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
admin=$(token_of fuzz-admin)   # the first account: the administrator
student=$(token_of fuzz-student)

fuzz() {
    local who=$1 token=$2
    echo "== schemathesis as $who ($seconds s at most)"
    # From the scratch folder: schemathesis keeps its cache of failing
    # examples (.schemathesis/) in the folder it runs in.
    (cd "$work" && "$venv/bin/schemathesis" run "$root/docs/openapi.json" --url "$url" \
        -H "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
        --max-examples 15 --max-time "$seconds" --no-shrink --seed 20261203 \
        --exclude-path /api/v1/auth/logout \
        --exclude-path /api/v1/users/me/password \
        --exclude-path-regex '/admin/users/\{id\}/(status|role|password-reset)$')
}
status=0
fuzz administrator "$admin" || status=1
fuzz student "$student" || status=1
if grep -q "panicked" "$work/server.log"; then
    echo "the server panicked:" >&2
    grep -A5 "panicked" "$work/server.log" >&2
    status=1
fi
exit $status
