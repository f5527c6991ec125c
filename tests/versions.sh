#!/bin/bash
# tests/versions.sh [trixie|sid|all]... - build and test macchk against the
# Wireshark of other Debian releases, each in its own chroot.
#
#   trixie  Debian 13, Wireshark 4.4
#   sid     Debian unstable, Wireshark 4.6 (at the time of writing)
#   all     both (the default)
#
# For each suite: create /var/tmp/macchk-chroots/SUITE with mmdebstrap when
# it is missing (about 30 s; installs mmdebstrap on the host first if
# needed), copy the project's files into SUITE/src, configure and build them
# there with cmake, run `ctest --test-dir build --output-on-failure -LE robustness`, and
# check that tshark, run as an unprivileged user, lists the plugin.
# /proc and /dev are mounted into the chroot for that and unmounted on exit.
#
# Exit status: 0 when every suite passed or was skipped because the package
# registry could not be reached ("SKIP <suite>: package registry
# unreachable"); 1 when any build, test or plugin check failed; 2 on misuse.
#
# Environment:
#   MACCHK_CHROOT_DIR   where the chroots live (default /var/tmp/macchk-chroots)
#   MACCHK_MIRROR       Debian mirror (default: the one the host's apt uses; with
#                       none in the apt sources every suite is skipped)
#   MACCHK_REFRESH=1    recreate the chroots even when they exist
#   MACCHK_CMAKE_ARGS   extra arguments for the cmake configure step,
#                       e.g. "-DCMAKE_C_FLAGS=-Werror"
#
# Must run as root (chroot, mount, mmdebstrap's root mode).

set -u
set -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${MACCHK_CHROOT_DIR:-/var/tmp/macchk-chroots}
PACKAGES=tshark,libwireshark-dev,libglib2.0-dev,cmake,gcc,make,pkg-config,python3,libc6-dev,util-linux
APTOPT='Acquire::Check-Valid-Until "false"'
STAMP=.macchk-chroot   # inside each chroot: how it was made
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

usage() {
    sed -n '2,28s/^# \{0,1\}//p' "$0"
}

log() { printf '==> %s\n' "$*"; }

# --- mirror -----------------------------------------------------------------

# The Debian archive the host's apt uses (first non-security entry), so the
# chroots come from the same registry the host can reach.
host_mirror() {
    local f uri=""
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /=/ && $i !~ /\]$/) { print $i; break } }' "$f" |
              grep -E '/debian/?$' | grep -v security | head -n1)
        [ -n "$uri" ] && break
    done
    if [ -z "$uri" ]; then
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -r "$f" ] || continue
            uri=$(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" |
                  grep -E '/debian/?$' | grep -v security | head -n1)
            [ -n "$uri" ] && break
        done
    fi
    [ -n "$uri" ] || return 1  # no fallback: only the registry this machine is set up for
    printf '%s\n' "$uri" | sed 's:/*$::'
}

# Succeeds when SUITE's Release file can be fetched from the mirror.
registry_reachable() {
    local suite=$1 tmp rc
    tmp=$(mktemp -d)
    /usr/lib/apt/apt-helper -o Acquire::Retries=1 -o Acquire::http::Timeout=20 \
        -o Acquire::https::Timeout=20 \
        download-file "$MIRROR/dists/$suite/InRelease" "$tmp/InRelease" >/dev/null 2>&1
    rc=$?
    rm -rf "$tmp"
    return $rc
}

ensure_mmdebstrap() {
    command -v mmdebstrap >/dev/null 2>&1 && return 0
    log "installing mmdebstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null
    command -v mmdebstrap >/dev/null 2>&1
}

# --- mounts -----------------------------------------------------------------

MOUNTED=()   # mount points to undo, most recent last

is_mounted() {
    local dir
    dir=$(readlink -f "$1") || return 1
    awk -v d="$dir" '$2 == d { found = 1 } END { exit !found }' /proc/self/mounts
}

# True when anything is mounted at or below $1.
anything_mounted_under() {
    local dir
    dir=$(readlink -f "$1") || return 1
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

unmount_all() {
    local i mp
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        mp=${MOUNTED[$i]}
        if is_mounted "$mp"; then
            umount "$mp" 2>/dev/null || umount -l "$mp" || echo "warning: could not unmount $mp" >&2
        fi
    done
    MOUNTED=()
}

mount_chroot() {
    local c=$1
    mkdir -p "$c/proc" "$c/dev"
    if ! is_mounted "$c/proc"; then
        mount -t proc proc "$c/proc" || return 1
        MOUNTED+=("$c/proc")
    fi
    if ! is_mounted "$c/dev"; then
        mount --bind /dev "$c/dev" || return 1
        MOUNTED+=("$c/dev")
    fi
}

cleanup() {
    stop_child
    unmount_all
    [ -n "${WORKTMP:-}" ] && rm -rf "$WORKTMP"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM HUP

# Remove a chroot directory, refusing when anything (e.g. the host's /dev)
# is still mounted inside it.
remove_chroot_dir() {
    local dir=$1
    [ -e "$dir" ] || return 0
    if anything_mounted_under "$dir"; then
        echo "refusing to remove $dir: something is mounted inside it" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

# --- chroot creation --------------------------------------------------------

stamp_text() {
    printf 'suite=%s\npackages=%s\n' "$1" "$PACKAGES"
}

chroot_ok() {
    local suite=$1 c=$BASE/$1
    [ -x "$c/usr/bin/tshark" ] && [ -r "$c/$STAMP" ] &&
        [ "$(cat "$c/$STAMP")" = "$(stamp_text "$suite")" ]
}

# 0: chroot ready; 1: creation failed; 3: registry unreachable (skip)
create_chroot() {
    local suite=$1 c=$BASE/$1 tmp start
    if chroot_ok "$suite" && [ "${MACCHK_REFRESH:-0}" != 1 ]; then
        log "$suite: using existing chroot $c"
        return 0
    fi
    if ! registry_reachable "$suite"; then
        return 3
    fi
    if ! ensure_mmdebstrap; then
        echo "$suite: mmdebstrap is missing and could not be installed" >&2
        # apt-get failing right after a successful probe is a registry
        # problem too; treat it like one.
        return 3
    fi
    mkdir -p "$BASE"
    tmp=$BASE/.$suite.new
    remove_chroot_dir "$tmp" || return 1
    log "$suite: creating chroot from $MIRROR (mmdebstrap)"
    start=$(date +%s)
    if ! mmdebstrap --variant=minbase --include="$PACKAGES" --aptopt="$APTOPT" \
            "$suite" "$tmp" "$MIRROR" >"$BASE/$suite.mmdebstrap.log" 2>&1; then
        tail -n 30 "$BASE/$suite.mmdebstrap.log" >&2
        remove_chroot_dir "$tmp"
        if ! registry_reachable "$suite"; then
            return 3
        fi
        echo "$suite: mmdebstrap failed (log: $BASE/$suite.mmdebstrap.log)" >&2
        return 1
    fi
    stamp_text "$suite" >"$tmp/$STAMP"
    remove_chroot_dir "$c" || return 1
    mv "$tmp" "$c"
    log "$suite: chroot created in $(( $(date +%s) - start )) s"
}

# --- source copy ------------------------------------------------------------

copy_source() {
    local dest=$1
    remove_chroot_dir "$dest" || return 1
    mkdir -p "$dest"
    # Build output must not come along: a CMakeCache.txt made elsewhere
    # makes cmake refuse the build folder.
    local junk='^(build|_build|cmake-build)[^/]*/|(^|/)(__pycache__|CMakeFiles)/|(^|/)CMakeCache\.txt$'
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # Tracked files plus new, not ignored ones (work not committed yet);
        # skip files deleted from the work tree.
        (cd "$ROOT" &&
            { git ls-files -z --cached; git ls-files -z --others --exclude-standard | { grep -zEv "$junk" || true; }; } |
            while IFS= read -r -d '' f; do
                if [ -f "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
            done |
            tar --null -T - -cf -) | tar -C "$dest" -xf -
    else
        (cd "$ROOT" && find . -path ./.git -prune -o \( -type f -o -type l \) -print0 |
            sed -z 's:^\./::' | grep -zEv "$junk" | tar --null -T - -cf -) |
            tar -C "$dest" -xf -
    fi
}

# --- one suite --------------------------------------------------------------

# Runs in its own process group, so an interrupted run can stop everything
# inside the chroot before unmounting.
CHILD=""
run_in_chroot() {
    local c=$1 script=$2 rc
    setsid chroot "$c" /usr/bin/env -i PATH="$CHROOT_PATH" HOME=/root LANG=C.UTF-8 TERM=dumb \
        MACCHK_CMAKE_ARGS="${MACCHK_CMAKE_ARGS:-}" /bin/bash -c "$script" &
    CHILD=$!
    wait "$CHILD"
    rc=$?
    CHILD=""
    return $rc
}

stop_child() {
    [ -n "$CHILD" ] || return 0
    kill -TERM -- "-$CHILD" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 -- "-$CHILD" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL -- "-$CHILD" 2>/dev/null
    wait "$CHILD" 2>/dev/null
    CHILD=""
}

# The inside part: build, test, and check that tshark loads the plugin.
INSIDE_SCRIPT='
set -u -o pipefail
cd /src
echo "--- $(tshark --version 2>/dev/null | head -n1); $(gcc --version | head -n1); $(cmake --version | head -n1)"
cmake -B build -S . $MACCHK_CMAKE_ARGS || exit 10
cmake --build build -j"$(nproc)" || exit 11
# the sanitizer fuzzing, valgrind and memory-bound runs stay on the host (label robustness)
ctest --test-dir build --output-on-failure -LE robustness || exit 12
so=$(find build -name macchk.so -type f | head -n1)
[ -n "$so" ] || { echo "macchk.so was not built"; exit 13; }
ver=$(pkg-config --modversion wireshark | cut -d. -f1,2)
home=$(mktemp -d)
mkdir -p "$home/.local/lib/wireshark/plugins/$ver/epan"
cp "$so" "$home/.local/lib/wireshark/plugins/$ver/epan/"
chown -R 65534:65534 "$home"
out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$home" tshark -G plugins 2>&1)
rm -rf "$home"
line=$(printf "%s\n" "$out" | grep -F macchk.so)
if [ -z "$line" ]; then
    echo "tshark -G plugins (uid 65534) does not list macchk.so:"
    printf "%s\n" "$out" | tail -n 20
    exit 14
fi
echo "--- plugin loads: $line"
'

# 0 pass, 1 fail, 3 skip
run_suite() {
    local suite=$1 c=$BASE/$1 rc
    create_chroot "$suite"
    rc=$?
    [ $rc -eq 0 ] || return $rc
    log "$suite: copying $ROOT to $c/src"
    copy_source "$c/src" || return 1
    mount_chroot "$c" || { unmount_all; return 1; }
    log "$suite: building and testing"
    run_in_chroot "$c" "$INSIDE_SCRIPT"
    rc=$?
    unmount_all
    case $rc in
        0) return 0 ;;
        10) echo "$suite: cmake configure failed" >&2 ;;
        11) echo "$suite: build failed" >&2 ;;
        12) echo "$suite: tests failed" >&2 ;;
        13|14) echo "$suite: plugin check failed" >&2 ;;
        *) echo "$suite: failed (status $rc)" >&2 ;;
    esac
    return 1
}

# --- main -------------------------------------------------------------------

SUITES=()
for arg in "${@:-all}"; do
    case $arg in
        all) SUITES+=(trixie sid) ;;
        trixie|sid) SUITES+=("$arg") ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown suite: $arg (expected trixie, sid or all)" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    echo "tests/versions.sh must run as root (chroot, mount, mmdebstrap)" >&2
    exit 2
fi

MIRROR=${MACCHK_MIRROR:-$(host_mirror)} || MIRROR=""
if [ -z "$MIRROR" ]; then
    # not a failure of the code under test: nothing to build the chroots from
    echo "=== versions.sh summary"
    for suite in "${SUITES[@]}"; do
        echo "SKIP $suite: no Debian archive in this machine's apt sources (set MACCHK_MIRROR)"
    done
    exit 0
fi
WORKTMP=""
failed=0
summary=()
for suite in "${SUITES[@]}"; do
    start=$(date +%s)
    run_suite "$suite"
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    case $rc in
        0) result="PASS $suite" ;;
        3) echo "SKIP $suite: package registry unreachable"; result="SKIP $suite" ;;
        *) result="FAIL $suite"; failed=1 ;;
    esac
    echo "$result (${elapsed} s)"
    summary+=("$result (${elapsed} s)")
done

echo "=== versions.sh summary"
printf '%s\n' "${summary[@]}"
exit $failed
