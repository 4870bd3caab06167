#!/usr/bin/env bash
# Takes the group screenshots in docs/screenshots/ (Russian) or
# docs/screenshots/en/ (English): a fresh server with a sample class, its
# class group and the class channel, the desktop app under Xvfb at
# 1024x768, driven with xdotool. As scripts/screenshots.sh (same
# programs); BIN_DIR picks the binaries (target/release by default).
#
#   scripts/screenshots-groups.sh ru && scripts/screenshots-groups.sh en
set -euo pipefail

language=${1:-ru}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN_DIR:-$root/target/release}
case $language in
    ru) out=$root/docs/screenshots ;;
    en) out=$root/docs/screenshots/en ;;
    *) echo "usage: $0 [ru|en]" >&2; exit 2 ;;
esac
# Where the chat header's "Group settings" button is (its width follows
# the language).
if [ "$language" = ru ]; then : "${SETTINGS_X:=940}"; else : "${SETTINGS_X:=950}"; fi
work=$(mktemp -d)
port=18125
url=http://127.0.0.1:$port
display=:78
mkdir -p "$out"

Xvfb $display -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
printf '[server]\nname = "Lab"\n[backup]\nenabled = false\n[discovery]\nmdns = false\nbroadcast = false\n' >"$work/server.toml"
"$bin/messenger-server" --config "$work/server.toml" --bind 127.0.0.1:$port \
    --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
app=
export DISPLAY=$display
trap 'kill $app $server $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf $url/health >/dev/null; do sleep 0.2; done

export SEED_LANGUAGE=$language
python3 "$root/scripts/seed_demo.py" $url class -
python3 "$root/scripts/seed_demo.py" $url groups
printf '[client]\nserver_url = "%s"\nlanguage = "%s"\nnotifications = false\n' $url "$language" >"$work/client.toml"
export MESSENGER_CLIENT_CONFIG=$work/client.toml

shot() { sleep 1.2; import -window root "$out/$1.png"; echo "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2" click "${3:-1}"; }
log_in() {
    [ -n "$app" ] && kill "$app" && sleep 1
    "$bin/messenger-desktop" >>"$work/app.log" 2>&1 &
    app=$!
    window=$(xdotool search --sync --all --pid $app --name "Local Messenger" | head -1)
    xdotool windowfocus --sync "$window"
    sleep 1
    xdotool type --delay 20 "$1"
    xdotool key Tab; sleep 0.3
    xdotool type --delay 20 lab-computer-204
    xdotool key Return
    sleep 3
}

# Anna, a student: the class group first in her list (the newest talk),
# each author named, her own message's read count, the members beside.
log_in anna
click 150 77
shot group-chat
# The class channel: only the teacher writes; Anna reads.
click 150 131
shot group-channel
# Right click on the class group in the list: what she may do with it.
click 150 77 3
shot group-menu
xdotool key Escape

# The teacher: her class group, read counts under her messages, and the
# menu on a member of the pane.
log_in teacher
click 150 77
sleep 1
click 930 204 3
shot group-member-menu
xdotool key Escape
click "$SETTINGS_X" 70
shot group-settings
xdotool key Escape
# A new group: its name, and the people picked.
click 272 25
sleep 0.5
if [ "$language" = ru ]; then title="Кружок робототехники"; else title="Robotics club"; fi
xdotool type --delay 60 "$title"
click 286 370
click 286 420
shot group-new
