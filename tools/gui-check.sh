#!/usr/bin/env bash
# Looks at the plugin in the real Wireshark window: opens a capture in wireshark-qt under Xvfb
# with the plugin just built (never an installed copy; works as root like the tests do) and the
# EWS-FreeBusy profile, and saves screenshots as PNG:
#   frame-N.png       the packet list and frame N, its ewsflow (routing) tree expanded
#   frame-N-ews.png   the same frame, its ews (decoded body) tree expanded
#   expert.png        Analyze > Expert Information
#   stats-tree.png    Statistics > EWS > Free-busy lookups (menus are clicked at fixed places:
#                     Wireshark 4.0.17's menu layout at 1600x1000)
#   table.png         Statistics > EWS free/busy lookup table
#   srt.png           Statistics > Service Response Time > EWS
#   flow.png          Statistics > Flow Graph, flow type "EWS free/busy"
#
#   tools/gui-check.sh PLUGIN.so CAPTURE OUTDIR [FRAME...]
#
# Needs Debian's wireshark-qt, xvfb, xdotool and imagemagick (apt-get install -y ...).
set -euo pipefail
plugin=$(readlink -f "$1"); capture=$(readlink -f "$2"); out=$(mkdir -p "$3" && readlink -f "$3"); shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
for tool in wireshark Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wireshark-qt xvfb xdotool imagemagick" >&2; exit 1; }
done

tmp=$(mktemp -d); chmod 755 "$tmp"
mkdir -p "$tmp/plugins/4.0/epan" "$tmp/plugins/4.0/wiretap" "$tmp/home/.config/wireshark/profiles" "$tmp/home/run" "$tmp/extcap"
cp "$plugin" "$tmp/plugins/4.0/epan/ews.so"
# the file reader (Fiddler .saz, .har), built beside the dissector plugin
[ -f "$(dirname "$plugin")/ewsfile.so" ] && cp "$(dirname "$plugin")/ewsfile.so" "$tmp/plugins/4.0/wiretap/"
cp -r "$here/profiles/EWS-FreeBusy" "$tmp/home/.config/wireshark/profiles/"
# no first-run dialogs, a window big enough to read
printf 'gui.update.enabled: FALSE\n' > "$tmp/home/.config/wireshark/preferences"
# in the profile: a short packet list over the packet details, no bytes pane
printf 'gui.layout_content_3: NONE\n' >> "$tmp/home/.config/wireshark/profiles/EWS-FreeBusy/preferences"
printf 'gui.geometry_main_upper_pane: 260\n' > "$tmp/home/.config/wireshark/profiles/EWS-FreeBusy/recent"
chmod -R a+rwX "$tmp"

display=:$(( 90 + RANDOM % 9 ))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "$xvfb" 2>/dev/null || true; pkill -f "wireshark.*$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
sleep 2
export DISPLAY=$display

wrap=()
if [ "$(id -u)" -eq 0 ] || [ "$(id -g)" -eq 0 ]; then
    wrap=(unshare --user --map-user=4242 --map-group=4242)   # tshark/wireshark ignore plugin folders for root
fi

# One Wireshark window: options, then wait for it, act (xdotool arguments), take the screen.
shot() {
    local name=$1 actions=$2; shift 2
    HOME="$tmp/home" WIRESHARK_PLUGIN_DIR="$tmp/plugins" WIRESHARK_EXTCAP_DIR="$tmp/extcap" \
        XDG_RUNTIME_DIR="$tmp/home/run" "${wrap[@]}" wireshark -C EWS-FreeBusy -r "$capture" "$@" >/dev/null 2>>"${GUI_STDERR:-/dev/null}" &
    local pid=$!
    for _ in $(seq 60); do
        xdotool search --onlyvisible --class wireshark >/dev/null 2>&1 && break
        sleep 0.5
    done
    sleep 6
    # no window manager under Xvfb: size the windows ourselves, main window first
    local win
    for w in $(xdotool search --onlyvisible --class wireshark 2>/dev/null); do
        xdotool windowsize "$w" 1600 1000 windowmove "$w" 0 0 >/dev/null 2>&1 || true
        win=${win:-$w}
    done
    sleep 2
    if [ -n "$actions" ] && [ -n "${win:-}" ]; then
        # shellcheck disable=SC2086
        xdotool $actions
        sleep 2
    fi
    import -window root "$out/$name.png"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "wrote $out/$name.png"
}

# a click in the packet details, End: the last tree (ewsflow), Shift+Right: all of its subtrees;
# Up from there is the ews tree
details="mousemove 500 700 click 1 sleep 0.5 key --delay 400 End shift+Right"
for frame in "$@"; do
    shot "frame-$frame" "$details" -g "$frame"
    shot "frame-$frame-ews" "$details Left Up shift+Right" -g "$frame"
done
shot expert "" -z expert
# menus by mouse (no window manager, fixed geometry): Statistics, then its entries
stats="mousemove 325 10 click 1 sleep 1"
shot stats-tree "$stats mousemove 334 713 click 1 sleep 1 mousemove 785 714 click 1 sleep 3"
shot table "" -z ewsflow,table
shot srt "" -z ews,srt
# Flow Graph, then the flow type "EWS free/busy" (second of the sorted flow types)
shot flow "$stats mousemove 356 461 click 1 sleep 4 mousemove 835 745 click 1 sleep 1 key Down Return sleep 3"
