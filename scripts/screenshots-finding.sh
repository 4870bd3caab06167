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
    query="контрольн"; draft="Спасибо! А во сколько"; fixed="Ты уже знаешь, когда контрольная по физике?"
else
    query="test is"; draft="Thanks! What time"; fixed="Do you know when the physics test is yet?"
fi

# Anna looks for the test date: the class group's message and Ben's reply.
log_in anna
xdotool key ctrl+f
xdotool type --delay 60 "$query"
shot finding-search
# A click on the class group's hit: the chat opens at it, lit up for a
# moment, "edited" beside its time.
click 150 "${GROUP_HIT_Y:-306}"
sleep 0.3
shot finding-jump
# Her chat with Ben: his answer quotes her question; Ctrl+R answers his
# newest message, the quote above the box.
click 150 27
xdotool key ctrl+a BackSpace
click 150 "${BEN_Y:-131}"
sleep 1
xdotool key ctrl+r
sleep 0.3
xdotool type --delay 40 "$draft"
shot finding-reply
# ↑ in an empty box: her newest message to edit, retyped. (Esc leaves
# the reply, and the box: a click brings the keyboard back.)
xdotool key Escape
click 650 711
xdotool key ctrl+a BackSpace
sleep 0.3
xdotool key Up
sleep 0.5
xdotool key ctrl+a
xdotool type --delay 80 "$fixed"
shot finding-edit
# Forward Ben's answer: right click, "Forward…", the list of chats.
xdotool key Escape
sleep 0.3
click "${ANSWER_X:-500}" "${ANSWER_Y:-512}" 3
sleep 0.5
${MENU_SHOT:+shot finding-menu}
click "${FORWARD_X:-360}" "${FORWARD_Y:-500}"
sleep 0.5
shot finding-forward
