#!/usr/bin/env bash
# Takes the screenshots of finding and fixing messages in docs/screenshots/
# (Russian) or docs/screenshots/en/ (English): a fresh server with the
# sample class, its groups, and the test date the teacher corrected; the
# desktop app under Xvfb at 1024x768, driven with xdotool. As
# scripts/screenshots.sh (same programs); BIN_DIR picks the binaries
# (target/release by default).
#
#   scripts/screenshots-finding.sh ru && scripts/screenshots-finding.sh en
set -euo pipefail

port=18127
display=:79
. "$(dirname "$0")/screens-lib.sh"

python3 "$root/scripts/seed_demo.py" $url class -
python3 "$root/scripts/seed_demo.py" $url groups
python3 "$root/scripts/seed_demo.py" $url finding
client_config
if [ "$language" = ru ]; then
    query="контрольн"; draft="Спасибо! А во сколько"; more=", вторым уроком"
else
    query="test is"; draft="Thanks! What time"; more=", second lesson"
fi

# Anna looks for the test date: the class group's message and Ben's reply.
log_in anna
xdotool key ctrl+f
xdotool type --delay 60 "$query"
shot finding-search
# Her chat with Ben: his answer quotes her question; Ctrl+R answers his
# newest message, the quote above the box.
xdotool key ctrl+a BackSpace
click 150 "${BEN_Y:-131}"
sleep 1
xdotool key ctrl+r
sleep 0.3
xdotool type --delay 40 "$draft"
shot finding-reply
# ↑ in an empty box: her newest message to edit.
xdotool key Escape ctrl+a BackSpace
sleep 0.3
xdotool key Up
sleep 0.3
xdotool key End
xdotool type --delay 40 "$more"
shot finding-edit
# Forward Ben's answer: right click, "Forward…", the list of chats.
xdotool key Escape
click "${ANSWER_X:-200}" "${ANSWER_Y:-400}" 3
sleep 0.5
click "${FORWARD_X:-230}" "${FORWARD_Y:-480}"
sleep 0.5
shot finding-forward
