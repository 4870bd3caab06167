#!/usr/bin/env bash
# The desktop app's figures (release build, under Xvfb at 1024x768):
#  1. start-up: from exec to the login screen drawn (median of 5 starts);
#  2. memory with 5 chats open, one of them 10,000 messages long, and after
#     scrolling that chat all the way up (every message loaded).
# For how smoothly a long chat draws and scrolls, see
#     cargo bench -p messenger-desktop --bench chat_view
#
#   apt-get install -y xvfb x11-utils imagemagick xdotool python3
#   cargo build --release -p messenger-server -p messenger-desktop
#   scripts/client-figures.sh
#
# APP_BIN=path/to/messenger-desktop measures another build of the app (a
# before/after pair: build the older commit, copy its binary aside, run
# this once with APP_BIN and once without); SERVER_BIN another server.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=18124
url=http://127.0.0.1:$port
display=:78
app_bin=${APP_BIN:-$root/target/release/messenger-desktop}
long=${LONG_CHAT:-10000}

Xvfb $display -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
# The sample data is written by a script at a script's pace (10,000
# messages in a few seconds), so the server runs with the load-test limits;
# its access log (info) is how history requests are counted below.
"${SERVER_BIN:-$root/target/release/messenger-server}" --config "$root/scripts/loadtest-server.toml" \
    --bind 127.0.0.1:$port --data-dir "$work/data" --log info \
    >"$work/server.log" 2>&1 &
server=$!
app=
trap 'kill $app $server $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export DISPLAY=$display
until curl -sf $url/health >/dev/null; do sleep 0.2; done
printf '[client]\nserver_url = "%s"\n' $url >"$work/client.toml"
export MESSENGER_CLIENT_CONFIG=$work/client.toml

now_ms() { date +%s%3N; }
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' /proc/"$1"/status; }

# 1. Start-up: the login screen counts as drawn once the window shows more
#    than a handful of colours (text has been rendered).
starts=()
for _ in 1 2 3 4 5; do
    begin=$(now_ms)
    "$app_bin" >/dev/null 2>&1 &
    app=$!
    # Polled here: `xdotool search --sync` waits in half-second steps.
    window=
    until [ -n "$window" ]; do
        window=$(xdotool search --all --pid $app --name "Local Messenger" 2>/dev/null | head -1 || true)
        sleep 0.01
    done
    until [ "$(import -window "$window" png:- 2>/dev/null | identify -format %k - 2>/dev/null || echo 0)" -gt 50 ]; do
        sleep 0.01
    done
    starts+=($(( $(now_ms) - begin )))
    kill $app; wait $app 2>/dev/null || true
    app=
done
sorted=$(printf '%s\n' "${starts[@]}" | sort -n | tr '\n' ' ')
echo "start-up to login screen drawn (ms, 5 runs, sorted): $sorted"

# 2. Memory: a class of six, and Ben writes Anna $long messages.
python3 "$root/scripts/seed_demo.py" $url class -
python3 "$root/scripts/seed_demo.py" $url long ben anna "$long"
"$app_bin" >"$work/app.log" 2>&1 &
app=$!
window=$(xdotool search --sync --name "Local Messenger" | head -1)
xdotool windowfocus --sync "$window"
sleep 1
echo "memory at the login screen: $(rss_mb $app) MB"
xdotool type --delay 10 anna; xdotool key Tab; sleep 0.3; xdotool type --delay 10 lab-computer-204; xdotool key Return
sleep 2
# Open five chats: Ben (the long one) is first in the list.
for y in 77 131 185 239 293; do
    xdotool mousemove 150 $y click 1
    sleep 1
done
sleep 2
echo "memory with 5 chats open (Ben's has $long messages): $(rss_mb $app) MB"

# Ben's tab is the first. Scroll his chat up: it draws 50 more per step up
# to 500, fetching history as it goes.
xdotool mousemove 360 19 click 1
sleep 1
xdotool mousemove 650 400
pages() { grep -c "GET /api/v1/conversations/[0-9]*/messages" "$work/server.log" || true; }
for _ in $(seq 15); do
    xdotool click --repeat 10 --delay 10 4
    sleep 0.3
done
sleep 1
echo "memory after scrolling up to 500 drawn messages: $(rss_mb $app) MB ($(pages) history requests)"

# Page through the rest: at the top of each page, "Show older messages".
begin=$(now_ms)
for _ in $(seq $(( long / 500 + 2 ))); do
    xdotool mousemove 650 400 click --repeat 500 --delay 1 4
    sleep 0.3
    xdotool mousemove 657 113 click 1
    sleep 0.5
done
echo "paged to the oldest message in $(( ($(now_ms) - begin) / 1000 )) s ($(pages) history requests)"
echo "memory with all $long messages loaded, 500 drawn: $(rss_mb $app) MB"
echo "app CPU time in all: $(ps -o cputime= -p $app)"
