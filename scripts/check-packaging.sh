#!/usr/bin/env bash
# Checks the files in packaging/ with the tools the distributions check
# them with (a CI step, .ci/run; a few seconds):
#
# - the service unit passes `systemd-analyze verify` (no unknown key, no
#   missing program) and its sandbox scores under 3.0 in
#   `systemd-analyze security` (0 is fully locked down, 10 is wide open);
# - the sysusers.d and tmpfiles.d files make the account and a data
#   directory only that account can enter;
# - the .desktop entry passes `desktop-file-validate`, the AppStream
#   metainfo `appstreamcli validate`;
# - the maintainer scripts and the wrapper are valid shell.
#
# Everything happens inside a scratch root, never on this machine's own
# /etc or /var. The server binary it installs there is the one the test
# command built (target/debug), or MESSENGER_SERVER_BINARY.
set -euo pipefail
cd "$(dirname "$0")/.."

server_binary=${MESSENGER_SERVER_BINARY:-target/debug/messenger-server}
unit=packaging/server/local-messenger.service
exposure_limit=30 # tenths: 3.0

. scripts/need-programs.sh
need_programs systemd-analyze:systemd desktop-file-validate:desktop-file-utils appstreamcli:appstream
if [ ! -x "$server_binary" ]; then
    echo "check-packaging.sh needs the server built ($server_binary): run cargo test --workspace or cargo build -p messenger-server first" >&2
    exit 1
fi

failed=0
fail() {
    echo "FAILED: $*" >&2
    failed=1
}
# A check passes when its tool succeeds and has nothing to say.
quiet() {
    local what=$1 output
    shift
    if ! output=$("$@" 2>&1) || [ -n "$output" ]; then
        fail "$what"
        printf '%s\n' "$output" >&2
    else
        echo "ok: $what"
    fi
}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/usr/lib/systemd/system" "$root/etc"
# The system's own units, so that the targets ours names exist.
cp -r /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
cp "$server_binary" "$root/usr/bin/messenger-server"
cp "$unit" "$root/usr/lib/systemd/system/"
mkdir -p "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
cp packaging/server/local-messenger.sysusers "$root/usr/lib/sysusers.d/local-messenger.conf"
cp packaging/server/local-messenger.tmpfiles "$root/usr/lib/tmpfiles.d/local-messenger.conf"
touch "$root/etc/passwd" "$root/etc/group"

# --man=no: the manual pages the unit names come with the package, and
# are not installed here.
quiet "systemd-analyze verify $unit" \
    systemd-analyze --root="$root" verify --man=no "$root/usr/lib/systemd/system/local-messenger.service"

security=$(systemd-analyze security --offline=true "$unit" 2>&1 | tail -n 1)
echo "$security"
exposure=$(sed -n 's/.*exposure level for local-messenger.service: \([0-9]*\)\.\([0-9]\).*/\1\2/p' <<<"$security")
if [ -z "$exposure" ] || [ "$((10#$exposure))" -ge "$exposure_limit" ]; then
    fail "the service's exposure is not under 3.0: $security"
fi

# sysusers says what it creates; the account it made is what counts.
systemd-sysusers --root="$root" local-messenger.conf ||
    fail "systemd-sysusers packaging/server/local-messenger.sysusers"
grep -q '^local-messenger:x:[0-9]*:[0-9]*:Local Messenger server:/var/lib/local-messenger:/usr/sbin/nologin$' "$root/etc/passwd" ||
    fail "sysusers made no local-messenger account: $(cat "$root/etc/passwd")"
quiet "systemd-tmpfiles packaging/server/local-messenger.tmpfiles" \
    systemd-tmpfiles --root="$root" --create local-messenger.conf
account=$(grep '^local-messenger:' "$root/etc/passwd" | cut -d: -f3,4)
made=$(stat -c '%a %u:%g' "$root/var/lib/local-messenger" 2>/dev/null || echo none)
[ "$made" = "700 $account" ] ||
    fail "tmpfiles made /var/lib/local-messenger as '$made', not '700 $account' (mode, the account's uid:gid)"

for desktop in packaging/desktop/*.desktop; do
    quiet "desktop-file-validate $desktop" desktop-file-validate "$desktop"
done
for metainfo in packaging/desktop/*.metainfo.xml; do
    if appstreamcli validate --no-net --pedantic "$metainfo" >"$root/appstream.log" 2>&1; then
        echo "ok: appstreamcli validate $metainfo"
    else
        fail "appstreamcli validate $metainfo"
        cat "$root/appstream.log" >&2
    fi
done

for script in packaging/server/local-messenger packaging/server/deb/* packaging/server/rpm/*; do
    quiet "sh -n $script" sh -n "$script"
done

exit "$failed"
