#!/usr/bin/env bash
# Takes the group screenshots in docs/screenshots/ (Russian) or
# docs/screenshots/en/ (English): a fresh server with a sample class, its
# class group and the class channel, the desktop app under Xvfb at
# 1024x768, driven with xdotool. As scripts/screenshots.sh (same
# programs); BIN_DIR picks the binaries (target/release by default).
#
#   scripts/screenshots-groups.sh ru && scripts/screenshots-groups.sh en
set -euo pipefail

# Where the chat header's "Group settings" button is (its width follows
# the language).
if [ "${1:-ru}" = ru ]; then : "${SETTINGS_X:=940}"; else : "${SETTINGS_X:=950}"; fi
port=18125
display=:78
. "$(dirname "$0")/screens-lib.sh"

python3 "$root/scripts/seed_demo.py" $url class -
python3 "$root/scripts/seed_demo.py" $url groups
client_config

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
