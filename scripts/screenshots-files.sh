#!/usr/bin/env bash
# Takes the file screenshots in docs/screenshots/ (Russian) or
# docs/screenshots/en/ (English): a worksheet and an essay in a chat, a
# file on its way up (the app talks to the server through a small proxy
# that lets 2 MB a second through, so the progress can be seen), and a
# file refused before it is sent. As scripts/screenshots.sh (same
# programs); BIN_DIR picks the binaries (target/release by default).
#
#   scripts/screenshots-files.sh ru && scripts/screenshots-files.sh en
set -euo pipefail

language=${1:-ru}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN_DIR:-$root/target/release}
case $language in
    ru) out=$root/docs/screenshots ;;
    en) out=$root/docs/screenshots/en ;;
    *) echo "usage: $0 [ru|en]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
port=18126
slow=18127
url=http://127.0.0.1:$port
display=:79
mkdir -p "$out"

Xvfb $display -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
printf '[server]\nname = "Lab"\n[backup]\nenabled = false\n[discovery]\nmdns = false\nbroadcast = false\n' >"$work/server.toml"
"$bin/messenger-server" --config "$work/server.toml" --bind 127.0.0.1:$port \
    --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
# The slow link: everything the app sends goes through at 2 MB/s.
python3 - "$slow" "$port" >"$work/proxy.log" 2>&1 <<'PROXY' &
import asyncio, sys
listen, target = int(sys.argv[1]), int(sys.argv[2])
RATE = 2_000_000
async def pipe(reader, writer, limit):
    try:
        while data := await reader.read(16384):
            writer.write(data)
            await writer.drain()
            if limit:
                await asyncio.sleep(len(data) / RATE)
    except Exception:
        pass
    finally:
        writer.close()
async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
    await asyncio.gather(pipe(client_reader, server_writer, True),
                         pipe(server_reader, client_writer, False))
async def main():
    await (await asyncio.start_server(handle, "127.0.0.1", listen)).serve_forever()
asyncio.run(main())
PROXY
proxy=$!
app=
export DISPLAY=$display
trap 'kill $app $proxy $server $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf $url/health >/dev/null; do sleep 0.2; done

export SEED_LANGUAGE=$language
python3 "$root/scripts/seed_demo.py" $url class -
python3 "$root/scripts/seed_demo.py" $url files
printf '[client]\nserver_url = "http://127.0.0.1:%s"\nlanguage = "%s"\nnotifications = false\n' $slow "$language" >"$work/client.toml"
export MESSENGER_CLIENT_CONFIG=$work/client.toml
# Without a session bus the file dialogs are zenity's, which Xvfb shows.
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent

if [ "$language" = ru ]; then
    big="Презентация к уроку истории.pptx"
    huge="Запись урока.mp4"
else
    big="History lesson slides.pptx"
    huge="Lesson recording.mp4"
fi
head -c 60000000 /dev/urandom >"$work/$big"
truncate -s 180M "$work/$huge"

shot() { sleep 1.2; import -window root "$out/$1.png"; echo "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2" click "${3:-1}"; }
# Types a path into zenity's file dialog and confirms it (waited for: on a
# busy PC zenity takes seconds to show).
pick_file() {
    local dialog= zenity= tries=0
    while [ -z "$dialog" ] && [ $tries -lt 60 ]; do
        sleep 0.5
        tries=$((tries + 1))
        zenity=$(pgrep -n zenity || true)
        [ -n "$zenity" ] && dialog=$(xdotool search --onlyvisible --pid "$zenity" 2>/dev/null | tail -1 || true)
    done
    if [ -z "$dialog" ]; then
        echo "screenshots-files.sh: no file dialog appeared (for $1)" >&2
        exit 2
    fi
    sleep 1
    xdotool windowfocus "$dialog"; sleep 0.3
    xdotool key ctrl+l; sleep 0.7
    xdotool type --delay 20 "$1"; sleep 0.3
    xdotool key Return
    while pgrep -x zenity >/dev/null; do sleep 0.3; done
}

"$bin/messenger-desktop" >>"$work/app.log" 2>&1 &
app=$!
window=$(xdotool search --sync --all --pid $app --name "Local Messenger" | head -1)
xdotool windowfocus --sync "$window"
sleep 1
xdotool type --delay 20 anna
xdotool key Tab; sleep 0.3
xdotool type --delay 20 lab-computer-204
xdotool key Return
sleep 3

# Anna's chat with the teacher: the worksheet she got, the essay she sent.
click 150 77
sleep 1
shot files
# A presentation on its way up, with its progress, speed and Cancel.
click "${ATTACH_X:-340}" "${ATTACH_Y:-711}"
pick_file "$work/$big"
sleep 4
shot file-upload
# A recording over the server's limit: refused before a byte is sent.
click "${ATTACH_X:-340}" "${ATTACH_Y:-711}"
pick_file "$work/$huge"
sleep 1
shot file-refused
