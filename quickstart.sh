#!/bin/sh
# Install what macchk needs (Debian 12), build it, install the plugin and show
# it on a bundled capture.  Run from the checkout: ./quickstart.sh
set -eu
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

echo "== installing packages"
as_root apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    tshark libwireshark-dev wireshark-dev libglib2.0-dev cmake gcc make pkg-config python3 util-linux

echo "== building"
# tshark run as root loads only the system plugin folder, so root installs there.
system=OFF
[ "$(id -u)" -eq 0 ] && system=ON
cmake -S . -B build -DMACCHK_INSTALL_SYSTEM=$system >/dev/null
cmake --build build -j2

echo "== installing the plugin"
cmake --install build

echo "== tshark -G plugins"
tshark -G plugins 2>/dev/null | grep macchk

echo "== frames with a problem: tshark -r captures/bad-guest-mac.pcap -Y macchk.invalid"
tshark -n -r captures/bad-guest-mac.pcap -Y macchk.invalid 2>/dev/null

echo "== why frame 1 is invalid"
tshark -n -r captures/bad-guest-mac.pcap -Y 'frame.number == 1' -T fields -e _ws.expert.message \
    -E occurrence=a -E aggregator='
' 2>/dev/null | grep -v IEEE

echo "== triage report (one pass): tshark -q -z macchk,report"
tshark -n -q -r captures/bad-guest-mac.pcap -z macchk,report 2>/dev/null
