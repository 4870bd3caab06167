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

port=18126
display=:79
. "$(dirname "$0")/screens-lib.sh"
slow=18127

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
helpers=$!

python3 "$root/scripts/seed_demo.py" $url class -
python3 "$root/scripts/seed_demo.py" $url files
client_config "http://127.0.0.1:$slow"
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

log_in anna

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
