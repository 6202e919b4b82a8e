"""A private tshark for tests and measurements: the plugin given (never an installed copy), or
none at all for stock comparisons, even when run as root.

tshark ignores personal plugins and WIRESHARK_PLUGIN_DIR for uid 0, so it runs in a user
namespace as uid 4242 (`unshare --user --map-user=4242 --map-group=4242`) with
WIRESHARK_PLUGIN_DIR pointing at a private folder. A sanitized plugin gets the ASan runtime
preloaded (stock tshark is not sanitized)."""
import os
import shutil
import subprocess
import tempfile


def sandbox(plugin, asan=False, prefix="ewsfb-"):
    """Returns (tmpdir, env with the plugin, env without it, command prefix)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    os.chmod(tmp, 0o755)
    for d in ("plugins/4.0/epan", "plugins/4.0/wiretap", "stock/4.0/epan", "extcap", "home"):
        os.makedirs(os.path.join(tmp, d))
    shutil.copy(plugin, os.path.join(tmp, "plugins/4.0/epan/ews.so"))
    # the file reader (Fiddler archives, HAR files) is built beside the dissector plugin
    reader = os.path.join(os.path.dirname(os.path.abspath(plugin)), "ewsfile.so")
    if os.path.exists(reader):
        shutil.copy(reader, os.path.join(tmp, "plugins/4.0/wiretap/ewsfile.so"))
    base = dict(os.environ, HOME=os.path.join(tmp, "home"), WIRESHARK_EXTCAP_DIR=os.path.join(tmp, "extcap"),
                LC_ALL="C.UTF-8", TZ="UTC")
    mine = dict(base, WIRESHARK_PLUGIN_DIR=os.path.join(tmp, "plugins"))
    if asan:
        lib = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
        mine.update(LD_PRELOAD=lib, ASAN_OPTIONS="detect_leaks=0:abort_on_error=1", UBSAN_OPTIONS="print_stacktrace=1")
    stock = dict(base, WIRESHARK_PLUGIN_DIR=os.path.join(tmp, "stock"))
    wrap = ["unshare", "--user", "--map-user=4242", "--map-group=4242"] if os.geteuid() == 0 or os.getegid() == 0 else []
    return tmp, mine, stock, wrap
