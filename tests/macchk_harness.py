"""Run tshark with a freshly built macchk plugin, as a user that loads it.

tshark loads no personal plugins as root, so when we are root every tshark
runs as nobody (uid 65534).  WIRESHARK_PLUGIN_DIR points at a fresh folder
that mirrors the system plugin folder (symbolic links) with the plugin under
test in place of any installed macchk.so, so an installed copy never loads
twice; HOME is a fresh temp folder too.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

NOBODY = 65534
SKIPPED = 77  # exit status ctest counts as skipped (SKIP_RETURN_CODE)


def global_plugin_dir():
    """Wireshark's system plugin folder for this version, e.g. .../plugins/4.0."""
    out = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Global Plugins:\s*(\S+)", out, re.M)
    return match.group(1) if match else None


def mirror_plugins(source, target):
    """Link every plugin under source into target, except any macchk.so."""
    if not source or not os.path.isdir(source):
        return
    for folder, dirs, files in os.walk(source):
        into = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(into, exist_ok=True)
        for name in files:
            if name != "macchk.so":
                os.symlink(os.path.join(folder, name), os.path.join(into, name))


def tshark_version():
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"TShark \(Wireshark\) (\d+)\.(\d+)", out)
    if not match:
        raise RuntimeError("cannot read tshark's version from: " + out[:200])
    return "%s.%s" % match.groups()


class Tshark:
    """tshark with the plugin installed in a private HOME."""

    def __init__(self, plugin, captures=None, extra_files=()):
        self.root = tempfile.mkdtemp(prefix="macchk-tshark-")
        self.home = os.path.join(self.root, "home")
        os.makedirs(self.home)
        self.version = tshark_version()
        plugin_dir = os.path.join(self.root, "plugins")
        mirror_plugins(global_plugin_dir(), os.path.join(plugin_dir, self.version))
        epan = os.path.join(plugin_dir, self.version, "epan")
        os.makedirs(epan, exist_ok=True)
        shutil.copy(plugin, os.path.join(epan, "macchk.so"))
        self.captures = os.path.join(self.root, "captures")
        if captures:
            shutil.copytree(captures, self.captures)
        else:
            os.makedirs(self.captures)
        for path in extra_files:
            shutil.copy(path, self.captures)
        for folder, dirs, files in os.walk(self.root):
            os.chmod(folder, 0o777)
            for name in files:
                if not os.path.islink(os.path.join(folder, name)):
                    os.chmod(os.path.join(folder, name), 0o666)
        self._value_names = None
        self.prefix = []
        if os.geteuid() == 0:
            self.prefix = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]
        self.env = dict(os.environ, HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                        WIRESHARK_PLUGIN_DIR=plugin_dir)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def path(self, capture):
        return capture if os.path.isabs(capture) else os.path.join(self.captures, capture)

    def run(self, args, check=True, program="tshark"):
        """Run tshark (or another Wireshark tool) with args; return the completed process."""
        proc = subprocess.run(self.prefix + [program] + args, capture_output=True, text=True,
                              env=self.env, cwd=self.root, timeout=600)
        if check and proc.returncode != 0:
            raise RuntimeError("%s %s failed (%d): %s" % (program, " ".join(args), proc.returncode,
                                                        proc.stderr.strip()[:2000]))
        return proc

    def fields(self, capture, fields, two_pass=False, display_filter=None, options=()):
        """Per-frame values: {frame number: {field: value}}; multiple
        occurrences joined by '|', booleans as '1'."""
        args = ["-n", "-r", self.path(capture), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
                "-e", "frame.number"]
        for field in fields:
            args += ["-e", field]
        if two_pass:
            args.append("-2")
        if display_filter:
            args += ["-Y", display_filter]
        for option in options:
            args += ["-o", option]
        rows = {}
        names = self.value_names()
        for line in self.run(args).stdout.splitlines():
            values = line.split("\t")
            rows[int(values[0])] = {f: normalise(v, names.get(f)) for f, v in zip(fields, values[1:])}
        return rows

    def value_names(self):
        """{field: {number: name}} for macchk's integer fields with value
        strings (tshark -G values): -T fields prints their numbers, the
        tests compare their names, the keywords filters use."""
        if self._value_names is None:
            self._value_names = {}
            for line in self.run(["-G", "values"]).stdout.splitlines():
                parts = line.split("\t")
                if len(parts) == 4 and parts[0] == "V" and parts[1].startswith("macchk."):
                    self._value_names.setdefault(parts[1], {})[parts[2]] = parts[3]
        return self._value_names

    def frames_matching(self, capture, display_filter, two_pass=False, verbose=False, options=()):
        """Frame numbers that pass display_filter; verbose dissects with -V
        (a visible tree) and reads the numbers from the frame headers."""
        args = ["-n", "-r", self.path(capture), "-Y", display_filter]
        if two_pass:
            args.append("-2")
        for option in options:
            args += ["-o", option]
        if verbose:
            out = self.run(args + ["-V"]).stdout
            return [int(n) for n in re.findall(r"^Frame (\d+):", out, re.M)]
        out = self.run(args + ["-T", "fields", "-e", "frame.number"]).stdout
        return [int(n) for n in out.split()]


def normalise(value, names=None):
    """tshark prints booleans as 1 or True depending on the version; numbers
    of fields with value strings become their names."""
    if not value:
        return value
    if names:
        return "|".join(names.get(v, v) for v in value.split("|"))
    return "|".join("1" if v == "True" else "0" if v == "False" else v for v in value.split("|"))


class Results:
    """Counts checks; prints failures as they come and a closing line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + message, flush=True)
        return condition

    def equal(self, actual, expected, message):
        return self.check(actual == expected, "%s: got %r, expected %r" % (message, actual, expected))

    def skip(self, message):
        self.skipped += 1
        print("SKIP: " + message, flush=True)

    def close(self, name):
        """Print the closing line; the exit status: 1 on a failure, else
        SKIPPED when something was skipped, else 0 (1 when nothing ran)."""
        skipped = ", %d skipped" % self.skipped if self.skipped else ""
        print("%s: %d passed, %d failed%s" % (name, self.passed, self.failed, skipped))
        if self.failed:
            return 1
        if self.skipped:
            return SKIPPED
        return 0 if self.passed > 0 else 1


TRIAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "macchk-triage")


def run_triage(plugin, args, results, timeout=600):
    """(exit status, stdout, stderr) of tools/macchk-triage with args
    (plugin: the --plugin to pass, or None); a timeout is a failure."""
    argv = [sys.executable, TRIAGE] + (["--plugin", plugin] if plugin else []) + list(args)
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, errors="backslashreplace", timeout=timeout)
    except subprocess.TimeoutExpired:
        results.check(False, "triage %s: still running after %d s" % (" ".join(args), timeout))
        return None, "", ""
    return proc.returncode, proc.stdout, proc.stderr


def run_tests(suite, results, only=None):
    """Every test_* method of suite in name order (those containing `only`);
    an exception is a failure and the rest still runs."""
    for name in sorted(n for n in dir(suite) if n.startswith("test_")):
        if only and only not in name:
            continue
        try:
            getattr(suite, name)()
        except Exception as e:
            results.check(False, "%s raised %s: %s" % (name, type(e).__name__, e))

