# What the screenshot scripts of one feature share (sourced, not run):
# the language and the folder its pictures go to, Xvfb at 1024x768, a
# fresh server, the app's settings, and the moves: shot, click, log_in,
# pick_file. Before sourcing, set `display` and `port` (each script its
# own, so two can run side by side). Afterwards `$url` is the server, and
# `$work` a scratch folder removed at exit with everything started here.
#
#   . "$(dirname "$0")/screens-lib.sh"

language=${1:-ru}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN_DIR:-$root/target/release}
case $language in
    ru) out=$root/docs/screenshots ;;
    en) out=$root/docs/screenshots/en ;;
    *) echo "usage: $0 [ru|en]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
url=http://127.0.0.1:$port
mkdir -p "$out"

Xvfb "$display" -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
printf '[server]\nname = "Lab"\n[backup]\nenabled = false\n[discovery]\nmdns = false\nbroadcast = false\n' >"$work/server.toml"
"$bin/messenger-server" --config "$work/server.toml" --bind 127.0.0.1:$port \
    --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
app=
# Whatever else a script starts, it adds to `helpers` to be stopped too.
helpers=
export DISPLAY=$display
trap 'kill $app $helpers $server $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf "$url/health" >/dev/null; do sleep 0.2; done
export SEED_LANGUAGE=$language

# The app's settings: this server (or `$1`, another address), the
# language, no desktop notifications.
client_config() {
    printf '[client]\nserver_url = "%s"\nlanguage = "%s"\nnotifications = false\n' \
        "${1:-$url}" "$language" >"$work/client.toml"
    export MESSENGER_CLIENT_CONFIG=$work/client.toml
}

shot() { sleep 1.2; import -window root "$out/$1.png"; echo "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2" click "${3:-1}"; }

# Starts the app (again) and logs in as `$1`.
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

# Types a path into zenity's file dialog and confirms it. The dialog is
# waited for, not slept for: on a busy PC zenity takes seconds to show.
# (Without a session bus the file dialogs are zenity's, which Xvfb shows:
# set DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent before log_in.)
pick_file() {
    local dialog= zenity= tries=0
    while [ -z "$dialog" ] && [ $tries -lt 60 ]; do
        sleep 0.5
        tries=$((tries + 1))
        zenity=$(pgrep -n zenity || true)
        [ -n "$zenity" ] && dialog=$(xdotool search --onlyvisible --pid "$zenity" 2>/dev/null | tail -1 || true)
    done
    if [ -z "$dialog" ]; then
        echo "$0: no file dialog appeared (for $1)" >&2
        exit 2
    fi
    sleep 1
    xdotool windowfocus "$dialog"; sleep 0.3
    xdotool key ctrl+l; sleep 0.7
    xdotool type --delay 20 "$1"; sleep 0.3
    xdotool key Return
    while pgrep -x zenity >/dev/null; do sleep 0.3; done
}
