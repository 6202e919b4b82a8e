# Sourced by setup.sh and run-tests.sh: Debian 12 packages the build and tests need.
EWSFB_PACKAGES="tshark libwireshark-dev libwiretap-dev libglib2.0-dev libxml2-dev libzip-dev zip pkg-config cmake gcc make python3 util-linux clang libclang-rt-14-dev"

ensure_deps() {
    local missing=() p sudo=""
    for p in $EWSFB_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
