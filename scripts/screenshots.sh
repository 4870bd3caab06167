#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ (Russian) or
# docs/screenshots/en/ (English): a fresh server with a sample class, the
# desktop app under Xvfb at the lab's smallest screen size (1024x768),
# driven with xdotool.
#
#   apt-get install -y xvfb x11-utils imagemagick xdotool python3 dunst dbus-x11
#   cargo build --release -p messenger-server -p messenger-desktop
#   scripts/screenshots.sh ru && scripts/screenshots.sh en
set -euo pipefail

language=${1:-ru}
# Where the status line's buttons are (they move with the language).
if [ "$language" = ru ]; then
    : "${BELL_X:=585}" "${NAME_X:=756}" "${TEACHER_BELL_X:=404}"
else
    : "${BELL_X:=612}" "${NAME_X:=772}" "${TEACHER_BELL_X:=517}"
fi
: "${ANNOUNCE_X:=907}" "${ANNOUNCE_Y:=84}"
# The announce dialog's Send button.
if [ "$language" = ru ]; then : "${SEND_X:=698}" "${SEND_Y:=593}"; else : "${SEND_X:=722}" "${SEND_Y:=603}"; fi
# The School section's form and buttons (the settings above them wrap
# differently in each language).
if [ "$language" = ru ]; then
    : "${NEW_USER_Y:=456}" "${CREATE_X:=855}" "${CREATE_Y:=543}" "${CHOOSE_Y:=686}" "${LOGOUT_X:=990}" "${DAVID_Y:=185}"
    # The import's explanation is two lines longer; its buttons are wider.
    : "${IMPORT_DOWN:=51}" "${IMPORT_X:=625}" "${AGAIN_X:=827}"
else
    : "${NEW_USER_Y:=438}" "${CREATE_X:=843}" "${CREATE_Y:=525}" "${CHOOSE_Y:=686}" "${LOGOUT_X:=980}" "${DAVID_Y:=239}"
    : "${IMPORT_DOWN:=17}" "${IMPORT_X:=582}" "${AGAIN_X:=726}"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
# BIN_DIR picks the binaries (target/release by default).
bin=${BIN_DIR:-$root/target/release}
case $language in
    ru) out=$root/docs/screenshots ;;
    en) out=$root/docs/screenshots/en ;;
    *) echo "usage: $0 [ru|en]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
port=18123
url=http://127.0.0.1:$port
display=:77
mkdir -p "$out"

Xvfb $display -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
# The class's server, and a second one elsewhere in the school: the login
# screen lists both (found by mDNS on loopback).
if [ "$language" = ru ]; then room="Кабинет 204"; library="Библиотека"; else room="Room 204"; library="Library"; fi
printf '[server]\nname = "%s"\n[backup]\nenabled = false\n' "$room" >"$work/server.toml"
printf '[server]\nname = "%s"\n[backup]\nenabled = false\n[discovery]\nprobe_port = 8002\n' "$library" >"$work/library.toml"
"$bin/messenger-server" --config "$work/server.toml" --bind 127.0.0.1:$port \
    --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
"$bin/messenger-server" --config "$work/library.toml" --bind 127.0.0.1:$((port + 1)) \
    --data-dir "$work/library" >"$work/library.log" 2>&1 &
library_server=$!
app=
ben=
export DISPLAY=$display
# A session bus and a notification daemon, so desktop notifications show.
eval "$(dbus-launch --sh-syntax)"
dunst >/dev/null 2>&1 &
dunst=$!
trap 'kill $app $ben $server $library_server $dunst $DBUS_SESSION_BUS_PID $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT

until curl -sf $url/health >/dev/null; do sleep 0.2; done

# A picture to send: a pendulum's swing, drawn with ImageMagick.
convert -size 480x300 xc:'#f7f9fc' -stroke '#c8d0dc' -strokewidth 1 \
    -draw 'line 30,150 460,150' -draw 'line 30,20 30,280' \
    -fill none -stroke '#2f6fdf' -strokewidth 4 \
    -draw 'path "M 30,150 Q 60,30 90,150 Q 120,260 150,150 Q 178,50 206,150 Q 232,235 258,150 Q 282,80 306,150 Q 328,210 350,150 Q 370,105 390,150 Q 408,185 426,150"' \
    "$work/graph.png"
export SEED_LANGUAGE=$language
python3 "$root/scripts/seed_demo.py" $url class "$work/graph.png"

# Avatars: a head and shoulders on a colour of each person's own. Emma
# keeps her initials.
for person in teacher:'#f2b36b':'#b4531c' anna:'#9fd3c7':'#2c7a6b' ben:'#8fb3f0':'#23498f' \
              chloe:'#f0a3c0':'#8f2357' david:'#c3b4f0':'#4a2f8f'; do
    IFS=: read -r name light dark <<<"$person"
    convert -size 256x256 gradient:"$light"-"$dark" -fill '#fdf6ec' -stroke none \
        -draw 'circle 128,104 128,56' -draw 'ellipse 128,262 92,84 180,360' \
        "$work/avatar-$name.png"
    python3 "$root/scripts/seed_demo.py" $url avatar "$name" "$work/avatar-$name.png"
done

printf '[client]\nserver_url = "%s"\nlanguage = "%s"\n' $url "$language" >"$work/client.toml"
export MESSENGER_CLIENT_CONFIG=$work/client.toml

# After Tab, a pause: the app moves the focus on its next turn, and
# xdotool types faster than any student.

# Starts the app and gives its window the keyboard focus.
start_app() {
    env ${app_env:-} "$bin/messenger-desktop" >>"$work/app.log" 2>&1 &
    started=$!
    window=$(xdotool search --sync --all --pid $started --name "Local Messenger" | head -1)
    xdotool windowfocus --sync "$window"
    sleep 1
}

# Ben is logged in on another PC (a window below Anna's), so his dot is green.
start_app
ben=$started
xdotool type --delay 20 ben
xdotool key Tab; sleep 0.3
xdotool type --delay 20 lab-computer-204
xdotool key Return
sleep 2

start_app
app=$started

shot() { sleep 1.2; import -window root "$out/$1.png"; echo "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2" click "${3:-1}"; }

# The login screen, with the username typed (the login field has the focus)
# and the servers found on the network under the address.
xdotool type --delay 20 anna
sleep 2
shot login
xdotool key Tab; sleep 0.3
xdotool type --delay 20 lab-computer-204
xdotool key Return
sleep 2

# Ben's chat: text both ways, a picture, a read mark. Contacts are listed
# newest conversation first: David, Chloe, Ben, Ms Rivera, Emma.
click 150 185
shot chat

# A second tab (David), and Ben writes meanwhile: his tab shows the unread.
click 150 77
if [ "$language" = ru ]; then coming="Ты идёшь в класс?"; else coming="Are you coming to the lab?"; fi
python3 "$root/scripts/seed_demo.py" $url say ben anna "$coming"
shot notification
dunstctl close-all 2>/dev/null || true
shot tabs

# Back to Ben; right click on the picture message.
click 360 19
sleep 1
click 860 290 3
shot context-menu
xdotool key Escape

# Settings, as a tab (Ctrl+,).
xdotool key ctrl+comma
shot settings

# The teacher's notifications arrive; the important announcement shows
# as a banner over the tabs.
python3 "$root/scripts/seed_demo.py" $url notify
python3 "$root/scripts/seed_demo.py" $url announce
dunstctl close-all 2>/dev/null || true
shot banner
# The bell in the status line: the Notifications tab.
click "$BELL_X" 752
shot notifications
# Anna's name in the status line: her profile, a new password typed.
click "$NAME_X" 752
sleep 1
click 610 666
xdotool type --delay 80 "blue tram 204 lab"
shot profile

# The administrator's panel. The teacher (the first account, so the
# administrator) changes a role, disables an account, reads messages; then
# logs in on this PC.
python3 "$root/scripts/seed_demo.py" $url admin
kill $app
# Without a session bus the file dialogs are zenity's, which Xvfb shows
# (the desktop portal needs a whole desktop session).
app_env="DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"
start_app
app=$started
xdotool type --delay 20 teacher
xdotool key Tab; sleep 0.3
xdotool type --delay 20 lab-computer-204
xdotool key Return
sleep 2
if [ "$language" = ru ]; then needle="класс"; else needle="lab"; fi
click 755 752            # "Administration" in the status line
shot admin-overview
click 357 101            # Users
sleep 0.5
shot admin-users
click 637 107            # the search box: one user's page
xdotool type --delay 20 chloe
xdotool key Return
sleep 1
click 520 188
shot admin-user
click 348 169            # Messages, searched
click 613 143
xdotool type --delay 40 "$needle"
sleep 0.5
xdotool key Return
shot admin-messages
click 362 203            # Login history
shot admin-logins
click 325 237            # Roles
shot admin-roles
click 368 271            # Audit log
shot admin-audit
# The announce dialog, from the Notifications tab.
click "$TEACHER_BELL_X" 752
sleep 1
click "$ANNOUNCE_X" "$ANNOUNCE_Y"
sleep 0.5
if [ "$language" = ru ]; then
    title="Экскурсия в технопарк"; body="В среду 9Б едет в технопарк. Сбор у школы в 8:30."
else
    title="Trip to the tech park"; body="On Wednesday 9B visits the tech park. Meet at the school at 8:30."
fi
xdotool type --delay 90 "$title"
sleep 0.5
click 510 345            # the text
xdotool type --delay 90 "$body"
click 280 418            # important
sleep 0.5
shot announce
# Sent as an ordinary one (no banners over later shots): the staff's
# status line says so, its buttons still all on screen.
click 280 418            # not important after all
sleep 0.3
click "$SEND_X" "$SEND_Y"
sleep 0.3
dunstctl close-all 2>/dev/null || true
shot staff-status
xdotool key Escape
# The notice passes after 8 s; until then its line moves the School
# section's buttons up.
sleep 8

# School mode: David teaches, students write only to teachers, the staff
# make the accounts. The teacher adds one account, then imports a class
# list: first a draft with mistakes, then the corrected file.
python3 "$root/scripts/seed_demo.py" $url school
if [ "$language" = ru ]; then
    newcomer="Ольга Смирнова"; header="Логин;ФИО;Почта;Телефон;Роль"
    draft="liam.b;Лиам Браун;liam@school.test;;
mia.c;Мила Кравец;mia@school;;
noah.d;Никита Денисов;;+7 900 555-01-18;
olga.s;Ольга Сидорова;;;
ruby.e;Руслана Ерёменко;;;Директор
sam.f;Семён Фомин;;;Преподаватель"
else
    newcomer="Olga Smirnova"; header="username;display name;e-mail;phone;role"
    draft="liam.b;Liam Brown;liam@school.test;;
mia.c;Mia Clark;mia@school;;
noah.d;Noah Davis;;+44 20 7946 0018;
olga.s;Olga Smith;;;
ruby.e;Ruby Evans;;;Headmaster
sam.f;Sam Fisher;;;Teacher"
fi
# As a Russian Excel saves it: a BOM, semicolons, CRLF.
{ printf '\xef\xbb\xbf%s\r\n' "$header"; printf '%s\n' "$draft" | sed 's/$/\r/'; } >"$work/9b-draft.csv"
{ printf '\xef\xbb\xbf%s\r\n' "$header"; printf '%s\n' "$draft" | grep -v '^olga.s' \
    | sed -e 's/@school;/@school.test;/' -e 's/;Директор$/;/' -e 's/;Headmaster$/;/' -e 's/$/\r/'; } >"$work/9b.csv"

# Types a path into the file dialog (GTK, through the desktop portal or
# zenity) and confirms it. The dialog is waited for, not slept for: on a
# busy PC zenity takes seconds to show.
pick_file() {
    local dialog= zenity= tries=0
    while [ -z "$dialog" ] && [ $tries -lt 60 ]; do
        sleep 0.5
        tries=$((tries + 1))
        zenity=$(pgrep -n zenity || true)
        [ -n "$zenity" ] && dialog=$(xdotool search --onlyvisible --pid "$zenity" 2>/dev/null | tail -1 || true)
    done
    if [ -z "$dialog" ]; then
        echo "screenshots.sh: no file dialog appeared (for $2)" >&2
        exit 2
    fi
    sleep 1
    xdotool windowfocus "$dialog"; sleep 0.3
    xdotool key "$1"; sleep 0.7
    xdotool type --delay 20 "$2"; sleep 0.3
    xdotool key Return
    # Until the dialog has gone and the app has read the file.
    while pgrep -x zenity >/dev/null; do sleep 0.3; done
    sleep 2
}

click 755 752            # "Administration"
sleep 1
click 357 135            # School
sleep 1
click 625 "$NEW_USER_Y"
xdotool type --delay 20 olga.s
click 877 "$NEW_USER_Y"
xdotool type --delay 90 "$newcomer"
click "$CREATE_X" "$CREATE_Y"
shot admin-school
click 750 600 5; click 750 600 5; click 750 600 5; click 750 600 5
sleep 0.5
click 561 "$((CHOOSE_Y + 24))"   # Choose file… (scrolled under the banner)
pick_file ctrl+l "$work/9b-draft.csv"
shot admin-import
click "$AGAIN_X" $((234 + IMPORT_DOWN))   # Choose file… again: the corrected list
pick_file ctrl+l "$work/9b.csv"
click "$IMPORT_X" $((213 + IMPORT_DOWN))  # Import
sleep 3
click 579 $((257 + IMPORT_DOWN))          # Save passwords…
pick_file ctrl+a "$work/passwords.csv"

# Mia's first login with the printed password: she chooses her own, and
# sees whom she may write to.
password=$(grep '^mia.c;' "$work/passwords.csv" | cut -d';' -f3 | tr -d '\r')
click "$LOGOUT_X" 752
sleep 1.5
xdotool windowfocus --sync "$window"
click 511 416   # the login field, under the servers found
xdotool type --delay 20 mia.c
xdotool key Tab; sleep 0.3
xdotool type --delay 20 "$password"
xdotool key Return
sleep 2
xdotool type --delay 30 "green maple 2026"
xdotool key Tab; sleep 0.3
xdotool type --delay 30 "green maple 2026"
shot choose-password
xdotool key Return
sleep 2.5
click 150 "$DAVID_Y"      # David, a teacher: his chat opens
sleep 1
xdotool mousemove 140 80; sleep 0.3; xdotool mousemove 150 82   # Anna: why she is grey
shot staff-messaging

# The server stops, as at the end of the day: the app says it lost the
# connection and keeps trying, and comes back by itself when the server
# runs again (the acceptance programme's steps A-06 and A-18).
xdotool mousemove 660 400   # away from the contact list's explanation
kill -TERM $server
wait $server 2>/dev/null || true
sleep 3
shot reconnecting
