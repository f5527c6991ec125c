#!/bin/bash
# tests/gui_check.sh [PLUGIN] - check in Wireshark's GUI that a capture
# opened with a display filter using macchk shows the whole-capture result
# with no user action, after View > Reload too, and that a live capture
# marks its verdicts provisional until it stops.
#
# PLUGIN defaults to build/macchk.so.  Wireshark (Qt) runs on its own Xvfb
# display, with a private HOME holding the macchk profile and a private
# plugin folder holding PLUGIN; as root it runs as nobody (uid 65534),
# since Wireshark run as root loads no personal plugins.  The status bar and
# the packet details are read from screenshots with tesseract (OCR).
#
# For captures/bad-guest-mac.pcap and captures/arp-conflicts.pcap, opened
# with -Y macchk.invalid, the status bar must say "Displayed: N", N being
# what `tshark -n -2 -r CAPTURE -Y macchk.invalid | wc -l` counts:
#   open     right after opening (nothing pressed);
#   enter    after pressing Enter in the filter bar (what users did before);
#   reload   after View > Reload (Ctrl+R).
# Live: bad-guest-mac.pcap is captured from a FIFO (-k -i FIFO) kept open for
# a while: meanwhile the macchk tree of frame 1 must show "Provisional";
# once the FIFO closes (the capture stops), "Displayed: N" again.
#
# Needs wireshark-qt, tshark, xvfb, xdotool, imagemagick, tesseract-ocr,
# python3 (apt-get install wireshark-qt xvfb xdotool imagemagick
# tesseract-ocr python3).  Not part of ctest: it needs X tools, and takes
# about a minute.  Screenshots are left in $MACCHK_GUI_SHOTS (default: a
# temporary folder, printed at the end), named STEP-CAPTURE.png.
#
# Exit status: 0 every check passed, 1 a check failed, 2 a tool is missing.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLUGIN=$(readlink -f "${1:-$ROOT/build/macchk.so}")
FILTER=macchk.invalid
WIDTH=1280
HEIGHT=900
TIMEOUT=20   # seconds a step may take before its count is called wrong

for tool in wireshark tshark Xvfb xdotool import convert tesseract python3; do
    command -v "$tool" >/dev/null || { echo "gui_check: $tool is missing" >&2; exit 2; }
done
[ -r "$PLUGIN" ] || { echo "gui_check: no plugin at $PLUGIN (build it first)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/macchk-gui.XXXXXX)
SHOTS=${MACCHK_GUI_SHOTS:-$WORK/shots}
VERSION=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$SHOTS" "$WORK/home" "$WORK/run" "$WORK/plugins/$VERSION/epan" "$WORK/captures"
cp "$PLUGIN" "$WORK/plugins/$VERSION/epan/macchk.so"
cp "$ROOT/captures/bad-guest-mac.pcap" "$ROOT/captures/arp-conflicts.pcap" "$WORK/captures/"
"$ROOT/tools/install-profile" "$WORK/home/.config/wireshark" >/dev/null
chmod 700 "$WORK/run"
AS_USER=()
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$WORK"
    chmod 755 "$WORK"
    AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
ENV=(env HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_RUNTIME_DIR="$WORK/run"
     WIRESHARK_PLUGIN_DIR="$WORK/plugins" NO_AT_BRIDGE=1)

# A display of our own: Xvfb picks a free number and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 "${WIDTH}x${HEIGHT}x24" -nolisten tcp -ac 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
WS=""
FEEDER=""
cleanup() {
    [ -n "$FEEDER" ] && kill "$FEEDER" 2>/dev/null
    [ -n "$WS" ] && kill "$WS" 2>/dev/null
    kill "$XVFB" 2>/dev/null
    wait 2>/dev/null
    [ -z "${MACCHK_GUI_SHOTS:-}" ] && echo "screenshots: $SHOTS"
    rm -rf "$WORK/home" "$WORK/run" "$WORK/plugins" "$WORK/captures"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { echo "gui_check: Xvfb did not start: $(cat "$WORK/xvfb.log")" >&2; exit 2; }
export DISPLAY=:$(head -n1 "$WORK/display")

failures=0
pass() { printf 'PASS %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; failures=$((failures + 1)); }

as_user() { (cd "$WORK" && exec "${AS_USER[@]}" "${ENV[@]}" "$@"); }

expected_count() {
    as_user tshark -n -2 -r "captures/$1" -Y "$FILTER" 2>/dev/null | wc -l
}

# Start Wireshark with the given arguments and wait for a main window whose
# title matches $1, stretched over the whole screen.
start_wireshark() {
    local title=$1 window=""
    shift
    # Not through as_user: $! must be Wireshark itself, for stop_wireshark.
    (cd "$WORK" && exec "${AS_USER[@]}" "${ENV[@]}" wireshark -C macchk "$@") >>"$WORK/wireshark.log" 2>&1 &
    WS=$!
    for _ in $(seq $((TIMEOUT * 5))); do
        window=$(xdotool search --name "$title" 2>/dev/null | head -n1)
        [ -n "$window" ] && break
        sleep 0.2
    done
    [ -n "$window" ] || return 1
    xdotool windowmove "$window" 0 0 windowsize "$window" "$WIDTH" "$HEIGHT"
}

stop_wireshark() {
    kill "$WS" 2>/dev/null
    wait "$WS" 2>/dev/null
    WS=""
}

# OCR of the screen, scaled up (tesseract reads small UI text badly).
read_screen() {
    import -window root "$WORK/screen.png"
    convert "$WORK/screen.png" $1 -resize 300% -colorspace Gray "$WORK/ocr.png"
    tesseract "$WORK/ocr.png" - --psm $2 2>/dev/null
}

# Click on the first word starting with $1 (OCR keeps punctuation: "Check,")
# found in the bottom half of the screen
# (the packet details).
click_word() {
    local top=$((HEIGHT / 2)) at
    at=$(read_screen "-gravity South -crop ${WIDTH}x${top}+0+0 +repage" "6 tsv" |
         awk -F'\t' -v word="$1" -v top="$top" \
             'index($12, word) == 1 { print int(($7 + $9 / 2) / 3), int(top + ($8 + $10 / 2) / 3); exit }')
    [ -n "$at" ] || return 1
    xdotool mousemove $at click 1
}

displayed_now() {
    read_screen "-gravity South -crop ${WIDTH}x30+0+0 +repage" 7 |
        sed -n 's/.*Displayed: *\([0-9][0-9]*\).*/\1/p'
}

# Wait until the status bar says "Displayed: $1"; print the last count read.
wait_displayed() {
    local want=$1 seen=""
    for _ in $(seq "$TIMEOUT"); do
        seen=$(displayed_now)
        [ "$seen" = "$want" ] && break
        sleep 1
    done
    echo "${seen:-nothing}"
}

shot() {
    convert "$WORK/screen.png" -strip -resize 75% -colors 64 "PNG8:$SHOTS/$1.png"
}

# One capture: open, Enter in the filter bar, reload.
check_capture() {
    local capture=$1 name=${1%.pcap} want seen
    want=$(expected_count "$capture")
    [ "$want" -gt 0 ] || { fail "$capture: tshark -2 finds no $FILTER frame"; return; }
    if ! start_wireshark "$name" -r "captures/$capture" -Y "$FILTER"; then
        fail "$capture: no Wireshark window"
        stop_wireshark
        return
    fi
    seen=$(wait_displayed "$want")
    shot "open-$name"
    [ "$seen" = "$want" ] && pass "$capture open: Displayed: $seen" ||
        fail "$capture open: Displayed: $seen, tshark -2: $want"
    xdotool key ctrl+slash Return   # focus the filter bar, apply it again
    sleep 2
    seen=$(wait_displayed "$want")
    [ "$seen" = "$want" ] && pass "$capture enter: Displayed: $seen" ||
        fail "$capture enter: Displayed: $seen, tshark -2: $want"
    # Ctrl+R from the packet list: the filter bar, focused above, ignores it.
    xdotool mousemove $((WIDTH / 2)) $((HEIGHT / 3)) click 1 key ctrl+r
    sleep 2
    seen=$(wait_displayed "$want")
    shot "reload-$name"
    [ "$seen" = "$want" ] && pass "$capture reload: Displayed: $seen" ||
        fail "$capture reload: Displayed: $seen, tshark -2: $want"
    stop_wireshark
}

# Write CAPTURE into FIFO as a pcap stream: every frame but the last, then
# (after HOLD seconds) the last one, then close it.
feed_fifo() {
    python3 - "$1" "$2" "$3" <<'EOF'
import sys, time
capture, fifo, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
data = open(capture, "rb").read()
header, rest, frames = data[:24], data[24:], []
while rest:
    length = int.from_bytes(rest[8:12], "little" if header[:4] == b"\xd4\xc3\xb2\xa1" else "big")
    frames.append(rest[:16 + length])
    rest = rest[16 + length:]
with open(fifo, "wb") as out:
    out.write(header + b"".join(frames[:-1]))
    out.flush()
    time.sleep(hold)
    out.write(frames[-1])
EOF
}

check_live() {
    local capture=bad-guest-mac.pcap hold=$((TIMEOUT + 10)) want seen text
    want=$(expected_count "$capture")
    mkfifo "$WORK/live.pcap"
    chmod 666 "$WORK/live.pcap"
    feed_fifo "$WORK/captures/$capture" "$WORK/live.pcap" "$hold" &   # waits for dumpcap to open it
    FEEDER=$!
    if ! start_wireshark "live" -k -i "$WORK/live.pcap" -Y "$FILTER"; then
        fail "live: no Wireshark window"
        stop_wireshark
        return
    fi
    sleep 4
    # Frame 1 is selected; expand its MAC Address Check item and subtrees.
    if ! click_word Check; then
        fail "live: no MAC Address Check item in frame 1's details"
    fi
    xdotool key shift+Right
    sleep 2
    text=$(read_screen "-gravity South -crop ${WIDTH}x$((HEIGHT / 2))+0+0 +repage" 6)
    shot "live-capturing"
    grep -q "Provisional" <<<"$text" && pass "live: frame 1 says Provisional while capturing" ||
        fail "live: no Provisional item in frame 1's macchk tree while capturing"
    wait "$FEEDER"
    FEEDER=""
    seen=$(wait_displayed "$want")
    shot "live-stopped"
    [ "$seen" = "$want" ] && pass "live stopped: Displayed: $seen" ||
        fail "live stopped: Displayed: $seen, tshark -2: $want"
    stop_wireshark
}

echo "Wireshark $VERSION, plugin $PLUGIN"
check_capture bad-guest-mac.pcap
check_capture arp-conflicts.pcap
check_live
[ "$failures" -eq 0 ] && echo "all GUI checks passed" || echo "$failures GUI check(s) failed"
[ "$failures" -eq 0 ]
