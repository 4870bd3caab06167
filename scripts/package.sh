#!/usr/bin/env bash
# Builds the packages a school installs, into target/packages/:
#
#   local-messenger-server_<version>-1_amd64.deb   the server, as a system service
#   local-messenger_<version>-1_amd64.deb          the desktop app
#   local-messenger-server-<version>-1.x86_64.rpm  the same two for RPM systems
#   local-messenger-<version>-1.x86_64.rpm
#
# Run it from anywhere in a checkout: scripts/package.sh
# It installs what it needs if it is missing (cargo-deb and
# cargo-generate-rpm with cargo; rsvg-convert, lintian and rpmlint with
# apt-get when run as root on a Debian-like system), builds both programs
# in release mode, then checks the packages with lintian and rpmlint.
# docs/en/installation.md says what each package puts where.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/packages
staging=$out/staging
app_id=local.messenger.LocalMessenger
icon_sizes=(16 24 32 48 64 128 256)

say() { printf '\n== %s\n' "$*"; }

# --- The tools -------------------------------------------------------------
. scripts/need-programs.sh
cargo deb --version >/dev/null 2>&1 || cargo install --locked cargo-deb
cargo generate-rpm --version >/dev/null 2>&1 || cargo install --locked cargo-generate-rpm
need_programs rsvg-convert:librsvg2-bin help2man:help2man lintian:lintian rpmlint:rpmlint

# The packages' version is the workspace's; the Debian changelog names it.
version=$(cargo metadata --no-deps --format-version 1 --offline |
    python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "messenger-server"))')
if ! head -n 1 packaging/debian-changelog | grep -q "^local-messenger ($version-1) "; then
    echo "package.sh: packaging/debian-changelog does not start with version $version-1; add an entry for it" >&2
    exit 1
fi

# --- The programs ----------------------------------------------------------
say "Building the server and the app (release)"
cargo build --release --locked -p messenger-server -p messenger-desktop

rm -rf "$out"
mkdir -p "$staging"
for program in messenger-server messenger-desktop; do
    # Debug line tables help a developer's profiler, not a school.
    strip --strip-unneeded --remove-section=.comment -o "$staging/$program" "target/release/$program"
done

# The annotated sample config, with the data where the service keeps it.
sed 's|^data_dir = "data"$|data_dir = "/var/lib/local-messenger"|' config.toml >"$staging/config.toml"
if ! grep -qx 'data_dir = "/var/lib/local-messenger"' "$staging/config.toml"; then
    echo "package.sh: config.toml has no line 'data_dir = \"data\"' to point at /var/lib/local-messenger" >&2
    exit 1
fi

# The menu's icons, drawn from the one SVG.
for size in "${icon_sizes[@]}"; do
    dir="$staging/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    rsvg-convert -w "$size" -h "$size" packaging/desktop/local-messenger.svg -o "$dir/$app_id.png"
done

# The manual pages: the server's from its own --help (always in step
# with it), the app's and the wrapper's written in packaging/man/.
mkdir -p "$staging/man"
help2man --no-info --section=1 --source="Local Messenger" \
    --name="the Local Messenger server: the school's messenger on its own network" \
    "$staging/messenger-server" >"$staging/man/messenger-server.1"
cp packaging/man/messenger-desktop.1 packaging/man/local-messenger.8 "$staging/man/"
gzip -9n "$staging"/man/*

# --- The packages ----------------------------------------------------------
say "Debian packages"
# cargo-deb warns about every file under target/ it did not build itself;
# these are the script's own (stripped binaries, config, icons).
for crate in messenger-server messenger-desktop; do
    cargo deb -p "$crate" --no-build --no-strip --output "$out/" \
        2> >(grep -v "Only source paths starting with exactly 'target/release/'" >&2)
done
say "RPM packages"
for crate in server desktop-client; do
    # The dependencies on shared libraries are read off the binary (ldd).
    # xz, not the default zstd: the rpm of older ALT and РЕД ОС releases
    # reads xz payloads and may not read zstd.
    cargo generate-rpm -p "$crate" --auto-req builtin --payload-compress xz --output "$out/"
done

# --- The checks ------------------------------------------------------------
say "lintian"
# Errors stop the script; the warnings left are explained in
# docs/en/installation.md ("What lintian and rpmlint say").
lintian --fail-on error "$out"/*.deb
say "rpmlint"
# packaging/rpmlint.toml lists the tags left aside, each with its reason.
rpmlint --config packaging/rpmlint.toml "$out"/*.rpm

say "Built"
ls -l "$out"/*.deb "$out"/*.rpm
