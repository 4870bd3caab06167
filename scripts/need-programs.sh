# Sourced by the scripts that use system programs (package.sh,
# check-packaging.sh). `need_programs PROGRAM:PACKAGE …` installs the
# Debian packages of the programs that are missing, when run as root on a
# Debian-like system; otherwise it names them and stops.
need_programs() {
    local wanted missing=()
    for wanted in "$@"; do
        command -v "${wanted%%:*}" >/dev/null || missing+=("${wanted#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "$(basename "$0") needs: ${missing[*]} (install them with your system's package manager)" >&2
        exit 1
    fi
}
