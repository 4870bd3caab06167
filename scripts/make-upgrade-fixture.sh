#!/usr/bin/env bash
# Writes server/tests/fixtures/release-<version>.db: a small database made
# by a released server, which the upgrade test
# (server/tests/api/upgrade.rs) opens with today's code. Run it with the
# released binary before a migration changes the schema:
#     git worktree add /tmp/release <tag> && (cd /tmp/release && cargo build -p messenger-server)
#     scripts/make-upgrade-fixture.sh /tmp/release/target/debug/messenger-server 0.1.0
# What it holds (the test checks each): Anna (1, the administrator), Bert
# (2) and Cleo (3); Anna → Bert "Привет, Берт", "Завтра контрольная";
# Bert → Anna "Спасибо, знаю"; Anna → Bert "Не забудь тетрадь"; Cleo →
# Anna "Анна, ты где?"; Bert has read Anna's up to her second message.
set -euo pipefail
server=${1:?the released messenger-server binary}
version=${2:?its version, for the file name}
out="$(cd "$(dirname "$0")/.." && pwd)/server/tests/fixtures/release-$version.db"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18123
"$server" --data-dir "$work/data" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
register() {
  curl -sf -X POST "$base/auth/register" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"correct horse battery\",\"display_name\":\"$2\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
send() {
  curl -sf -X POST "$base/conversations/$2/messages" -H "authorization: Bearer $1" \
    -H 'content-type: application/json' -d "{\"client_id\":\"$3\",\"text\":\"$4\"}" >/dev/null
}
anna=$(register anna 'Анна Смирнова')
bert=$(register bert 'Берт Иванов')
cleo=$(register cleo 'Клео Петрова')
send "$anna" 2 a1 'Привет, Берт'
send "$anna" 2 a2 'Завтра контрольная'
send "$bert" 1 b1 'Спасибо, знаю'
send "$anna" 2 a3 'Не забудь тетрадь'
send "$cleo" 1 c1 'Анна, ты где?'
curl -sf -X POST "$base/conversations/1/read" -H "authorization: Bearer $bert" \
  -H 'content-type: application/json' -d '{"up_to":2}'
# A clean stop checkpoints the write-ahead log into the file.
kill -TERM "$pid"
wait "$pid" || true
mkdir -p "$(dirname "$out")"
cp "$work/data/messenger.db" "$out"
echo "wrote $out"
