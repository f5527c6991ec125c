#!/usr/bin/env python3
"""tshark tests of the preferences, the triage report, the stats tree, the
expert infos' groups and severities, and tools/macchk-triage.

- Golden files (tests/golden/): the text report and the stats tree of
  clean, bad-guest-mac, arp-conflicts, arp-exchanges, nd and nd-malformed,
  one pass, -n (no vendor names: they come from the version's manuf
  database), and the JSON report of bad-guest-mac and nd; compared exactly.
  The stats tree is compared in a normalised form ("path<TAB>count" lines,
  sorted), since its columns are not ours; its order is checked apart.
  --update writes them anew (then read every one against captures/README.md
  before committing).
- The report needs no -2: its problems and hosts are the same in one pass
  and in two, for every bundled capture.
- Each preference (and the allow-list UAT) changes what it should; a bad
  allow-list line is named and skipped; table_cap's range is enforced.
(tools/macchk-triage: tests/test_triage.py.)
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import shutil
import sys
import tempfile

from macchk_harness import Results, Tshark, run_tests, run_triage
import flood_gen

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
GOLDEN_CAPTURES = ["clean.pcap", "bad-guest-mac.pcap", "arp-conflicts.pcap", "arp-exchanges.pcap", "nd.pcapng",
                   "nd-malformed.pcap"]
GOLDEN_JSON = ["bad-guest-mac.pcap", "nd.pcapng"]
# per-frame binding counts differ in one pass (ARP and IPv6 conflicts)
WITH_CONFLICTS = {"arp-conflicts.pcap", "networks.pcapng", "nd.pcapng"}


def tree_rows(text):
    """tshark's stats tree as (depth, name, count) rows, in its order."""
    rows = []
    for line in text.splitlines():
        match = re.match(r"^( *)(\S.*?)\s{2,}(\d+)\s", line + " ")
        if match and not line.startswith("Topic / Item"):
            rows.append((len(match.group(1)), match.group(2), int(match.group(3))))
    return rows


def normalise_tree(text):
    """tshark's stats tree as sorted 'Parent / Child<TAB>count' lines."""
    lines, stack = [], []
    for depth, name, count in tree_rows(text):
        stack = stack[:depth] + [name]
        lines.append("%s\t%d" % (" / ".join(stack), count))
    return "\n".join(sorted(lines)) + "\n"


class Suite:
    def __init__(self, tshark, results, update, plugin):
        self.t = tshark
        self.plugin = plugin
        self.r = results
        self.update = update

    def out(self, args):
        return self.t.run(args).stdout

    def report(self, capture, *extra, json_form=False):
        args = ["-n", "-q", "-r", self.t.path(capture), "-z", "macchk,report" + (",json" if json_form else "")]
        text = self.out(args + list(extra))
        return json.loads(text) if json_form else text

    def golden(self, name, actual):
        path = os.path.join(GOLDEN, name)
        if self.update:
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "w") as f:
                f.write(actual)
            print("wrote " + path)
            return
        if not self.r.check(os.path.exists(path), "golden file %s is missing (run with --update)" % name):
            return
        with open(path) as f:
            expected = f.read()
        if not self.r.check(actual == expected, "%s differs from the golden file" % name):
            import difflib
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                       "golden/" + name, "actual"))

    # --- golden files ----------------------------------------------------

    def test_golden(self):
        for capture in GOLDEN_CAPTURES:
            name = os.path.splitext(capture)[0]
            self.golden("report-%s.txt" % name, self.report(capture))
            tree = self.out(["-n", "-q", "-r", self.t.path(capture), "-z", "macchk,tree"])
            self.golden("tree-%s.txt" % name, normalise_tree(tree))
        for capture in GOLDEN_JSON:
            self.golden("report-%s.json" % os.path.splitext(capture)[0],
                        self.out(["-n", "-q", "-r", self.t.path(capture), "-z", "macchk,report,json"]))

    def test_tree_order(self):
        """tshark prints the tree in macchk's order, not sorted by count or
        name: totals, classes, ARP kinds, ND kinds, then the findings in
        the findings table's order."""
        table = [line.split("\t")[4] for line in self.out(["-n", "-q", "-z", "macchk,findings", "-r", self.t.path("clean.pcap")]).splitlines()
                 if line.count("\t") == 4]
        names = list(dict.fromkeys(table))  # a demotable finding's Note line repeats its name
        for capture in ["nd.pcapng", "arp-conflicts.pcap"]:
            full = tree_rows(self.out(["-n", "-q", "-r", self.t.path(capture), "-z", "macchk,tree"]))
            rows = [(depth, name) for depth, name, count in full]
            top = [name for depth, name in rows if depth == 0]
            self.r.equal(top[:3], ["Frames checked", "Frames without MAC addresses or ARP", "Source cast"],
                         "%s: the totals first" % capture)
            self.r.equal(rows[:2], [(0, "Frames checked"), (1, "Invalid frames")], "%s: invalid frames under "
                         "frames checked" % capture)
            self.r.equal(top[-3:], ["ARP packets", "Neighbor Discovery messages", "Findings"],
                         "%s: ARP kinds, ND kinds, then the findings" % capture)
            findings = [name for depth, name in rows[rows.index((0, "Findings")) + 1:]]
            self.r.equal(findings, names, "%s: findings in the table's order, whatever their counts" % capture)
            nd = rows.index((0, "Neighbor Discovery messages"))
            self.r.equal([name for depth, name in rows[nd + 1:nd + 10]],
                         ["NS", "NUD", "DAD probe", "solicited NA", "unsolicited NA", "NA", "RS", "RA", "redirect"],
                         "%s: ND kinds in their order" % capture)
            if capture == "nd.pcapng":  # a smaller count before a bigger one: not sorted by count
                counts = {name: count for depth, name, count in full if depth == 1}
                self.r.check(counts["ND link-layer option is a virtual router MAC"] <
                             counts["Neighbor Solicitation never answered"], "nd.pcapng: counts in no order")

    def test_one_pass_is_enough(self):
        """The report is complete after one pass; the tree's request-side
        findings too (its per-frame binding findings are as first seen)."""
        for capture in sorted(os.listdir(self.t.captures)):
            if not capture.endswith((".pcap", ".pcapng")):
                continue
            for cap in ([], ["-o", "macchk.table_cap:32"]):  # 32: the pending frames of one timeout still fit
                one = self.report(capture, *cap, json_form=True)
                two = self.report(capture, "-2", *cap, json_form=True)
                what = "%s%s" % (capture, " " + cap[1] if cap else "")
                self.r.equal(one["problems"], two["problems"], "%s: problems in one pass and with -2" % what)
                self.r.equal(one["hosts"], two["hosts"], "%s: hosts in one pass and with -2" % what)
                self.r.equal(one["frames_not_settled"], 0, "%s: every pending frame settled" % what)
                if capture not in WITH_CONFLICTS:  # conflicts look like moves until the other MAC speaks again
                    self.r.equal(one["counts"], two["counts"], "%s: counts in one pass and with -2" % what)
                    self.r.equal(one["verdict"], two["verdict"], "%s: verdict in one pass and with -2" % what)
            if capture not in WITH_CONFLICTS:
                tree1 = normalise_tree(self.out(["-n", "-q", "-r", self.t.path(capture), "-z", "macchk,tree"]))
                tree2 = normalise_tree(self.out(["-n", "-q", "-2", "-r", self.t.path(capture), "-z",
                                                 "macchk,tree"]))
                self.r.equal(tree1, tree2, "%s: stats tree in one pass and with -2" % capture)

    def test_caps(self):
        """Warnings are kept before Notes and counted exactly whatever the cap."""
        work = tempfile.mkdtemp(prefix="macchk-caps-")
        os.chmod(work, 0o755)
        try:
            path = os.path.join(work, "notes-then-warnings.pcap")
            w = flood_gen.PcapWriter(path)
            for i in range(12):  # SLAP reserved sources: Notes
                w.add(i * 1000, b"\xff" * 6 + bytes([0x06, 0x1b, 0x21, 0, 0, i]) + b"\x88\xb5" + b"\0" * 46)
            for i, src in enumerate([b"\x01\x1b\x21\x00\x00\x01", b"\0" * 6]):  # group bit, zero: Warnings
                w.add(20000 + i * 1000, b"\xff" * 6 + src + b"\x88\xb5" + b"\0" * 46)
            w.close()
            os.chmod(path, 0o644)
            for cap, notes, evicted in [(10, 10, 2), (14, 12, 0)]:
                rep = json.loads(self.out(["-n", "-q", "-r", path, "-o", "macchk.table_cap:%d" % cap, "-z",
                                           "macchk,report,json"]))
                self.r.equal((rep["counts"]["warnings"], rep["counts"]["warnings_exact"], rep["counts"]["notes"],
                              rep["notes_not_kept"]), (2, True, notes, evicted),
                             "table_cap %d: 2 warnings kept before the notes" % cap)
                self.r.equal([p["severity"] for p in rep["problems"][:2]], ["warning", "warning"],
                             "table_cap %d: the warnings are listed" % cap)
            text = self.out(["-n", "-q", "-r", path, "-o", "macchk.table_cap:10", "-z", "macchk,report"])
            self.r.check("2 more notes not kept, to keep the warnings" in text, "a capped report says what it dropped")
            rc, out, err = run_triage(self.plugin, ["-o", "macchk.table_cap:10", path], self.r)
            self.r.check(rc == 1 and ": 2 warnings, 10 notes:" in out, "triage follows the warnings: %r" % out)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        # fewer groups than warnings: invalid frames as exact as with -2, the warning count a lower bound
        one = self.report("arp-exchanges.pcap", "-o", "macchk.table_cap:8", json_form=True)
        two = self.report("arp-exchanges.pcap", "-2", "-o", "macchk.table_cap:8", json_form=True)
        full = self.report("arp-exchanges.pcap", json_form=True)["counts"]["warnings"]
        self.r.equal((one["counts"]["invalid_frames"], 8 <= one["counts"]["warnings"] < full,
                      one["counts"]["warnings_exact"], one["frames_not_settled"]),
                     (two["counts"]["invalid_frames"], True, False, 0),
                     "arp-exchanges, table_cap 8: counts exact or said not to be")

    def test_report_forms(self):
        text = self.report("bad-guest-mac.pcap", "-z", "macchk,report,json")
        self.r.check(text.count("MAC Address Check: triage report") == 1 and '{"macchk_report": 1' in text,
                     "text and JSON reports side by side")
        bad = self.t.run(["-n", "-q", "-r", self.t.path("clean.pcap"), "-z", "macchk,report,xml"], check=False)
        self.r.check(bad.returncode != 0 and "macchk,report,json" in bad.stderr,
                     "-z macchk,report,xml is refused with a hint: %r" % bad.stderr[:300])
        # vendor names unless -n
        named = self.out(["-q", "-r", self.t.path("clean.pcap"), "-z", "macchk,report"])
        self.r.check("Intel" in named and "Intel" not in self.report("clean.pcap"),
                     "vendor names with name resolution, none with -n")
        # a filter never given to the report: still every frame
        self.r.check("15 frames checked" in self.report("bad-guest-mac.pcap", "-Y", "arp"),
                     "a display filter does not change the report")
        # a capture without frames: no record reaches the report, which says there is nothing
        work = tempfile.mkdtemp(prefix="macchk-empty-")
        try:
            empty = os.path.join(work, "empty.pcap")
            flood_gen.PcapWriter(empty).close()
            os.chmod(work, 0o755)
            os.chmod(empty, 0o644)
            text = self.out(["-n", "-q", "-r", empty, "-z", "macchk,report"])
            self.r.check("Nothing to check: no frame carries MAC addresses or ARP" in text and "Hosts (0):" in text,
                         "an empty capture: nothing to check: %r" % text)
            rep = json.loads(self.out(["-n", "-q", "-r", empty, "-z", "macchk,report,json"]))
            self.r.equal((rep["counts"]["frames"], rep["problems"], rep["hosts"]), (0, [], []),
                         "an empty capture: an empty JSON report")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        # frames whose link layer has no MAC address and no ARP or ND (loopback in a cooked capture) are
        # counted apart; the IPoIB ND frames are checked
        self.r.check("7 frames checked" in self.report("sll.pcap") and
                     "2 more frames without MAC addresses or ARP (not checked)" in self.report("sll.pcap"),
                     "sll.pcap: loopback frames counted apart")

    # --- expert infos ------------------------------------------------------

    def test_expert_groups(self):
        """Every macchk expert info shown by -z expert has a registered group
        and severity; spot checks per kind."""
        allowed = {("Warns", "Protocol"), ("Warns", "Malformed"), ("Warns", "Sequence"), ("Notes", "Protocol"),
                   ("Notes", "Malformed"), ("Notes", "Sequence"), ("Notes", "Debug")}
        seen = set()
        for capture, extra in [(c, []) for c in sorted(os.listdir(self.t.captures)) if c.endswith(".pcap")] + \
                [("arp-conflicts.pcap", ["-o", "macchk.table_cap:3"]),
                 ("arp-conflicts.pcap", ["-o", "macchk.dup_mac_severity:note"])]:
            out = self.out(["-n", "-q", "-2", "-r", self.t.path(capture), "-z", "expert"] + extra)
            section = None
            for line in out.splitlines():
                head = re.match(r"^(Errors|Warns|Notes|Chats|Comments) \(", line)
                if head:
                    section = head.group(1)
                    continue
                row = re.match(r"^\s+\d+\s+(\S+)\s+MACCHK\s+(.*)$", line)
                if row:
                    self.r.check((section, row.group(1)) in allowed,
                                 "%s: %s/%s: %s" % (capture, section, row.group(1), row.group(2)[:80]))
                    seen.add((section, row.group(1), row.group(2).split(" ")[0]))
        for section, group, first_word in [("Warns", "Protocol", "Source"), ("Warns", "Malformed", "Malformed"),
                                           ("Warns", "Sequence", "IP"), ("Warns", "Sequence", "Duplicate"),
                                           ("Notes", "Sequence", "Duplicate"), ("Notes", "Debug", "macchk's"),
                                           ("Notes", "Sequence", "Unicast"), ("Notes", "Protocol", "Reply")]:
            self.r.check((section, group, first_word) in seen,
                         "-z expert shows a %s/%s finding starting %r" % (section, group, first_word))

    # --- preferences ---------------------------------------------------------

    def flagged(self, capture, expert, options=()):
        """Frames carrying expert info `expert` (a filter name), two-pass."""
        return self.t.frames_matching(capture, expert, two_pass=True, options=options)

    def test_prefs(self):
        r = self.r
        # arp_timeout_ms: the late reply of scenario 4 (5 s after its request) answers it with 6 s
        r.equal(self.flagged("arp-exchanges.pcap", "macchk.arp.unsolicited"), [11, 12, 31],
                "default timeout: frame 11 comes too late")
        r.equal(self.flagged("arp-exchanges.pcap", "macchk.arp.unsolicited", ["macchk.arp_timeout_ms:6000"]),
                [12, 31], "arp_timeout_ms:6000: frame 11 answers frame 10")
        r.equal(self.t.fields("arp-exchanges.pcap", ["macchk.arp.request_in"], two_pass=True,
                              options=["macchk.arp_timeout_ms:6000"])[11]["macchk.arp.request_in"], "10",
                "arp_timeout_ms:6000: frame 11's request is frame 10")
        text = self.report("arp-exchanges.pcap", "-o", "macchk.arp_timeout_ms:6000")
        r.check("10.1.4.1 (00:1b:21:01:04:01) asked for 10.1.4.2" not in text and "too late" not in text,
                "arp_timeout_ms:6000: the report no longer has scenario 4")
        r.check("10.1.3.1 (00:1b:21:01:03:01) asked for 10.1.3.2 3 times (frames 7-9), never answered" in text,
                "arp_timeout_ms:6000: scenario 3 still unanswered")
        # a long timeout: a request within it of the capture's end is not "never answered"
        text = self.report("arp-exchanges.pcap", "-o", "macchk.arp_timeout_ms:100000")
        r.check("10.1.15.2 once (frame 29), less than the ARP timeout before the capture ended" in text,
                "arp_timeout_ms:100000: late requests only lack time: %s" % text[:0])

        # table_cap: once full, said once, in the expert infos and the report
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.table_full"), [], "default cap: never full")
        full = self.flagged("arp-conflicts.pcap", "macchk.table_full", ["macchk.table_cap:3"])
        r.equal(len(full), 1, "table_cap:3: table full said once")
        text = self.report("arp-conflicts.pcap", "-o", "macchk.table_cap:3")
        r.check(full and "tracking tables filled up at frame %d" % full[0] in text,
                "table_cap:3: the report says where the tables filled up")
        r.check("; incomplete: the tracking tables filled up" in text.splitlines()[2],
                "table_cap:3: the verdict says it is incomplete: %r" % text.splitlines()[2])
        r.check("incomplete" not in self.report("arp-conflicts.pcap"), "default cap: the verdict is complete")
        r.check("Hosts (3):" in text and "(more hosts not listed: the hosts table holds 3;" in text,
                "table_cap:3: the hosts table is capped too")

        # dup_mac_severity
        dup = self.flagged("arp-conflicts.pcap", "macchk.dup.mac")
        r.equal(dup, [16, 18, 20, 22, 37, 39, 41, 43], "default: duplicate MACs are warnings")
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.dup.mac", ["macchk.dup_mac_severity:note"]), [],
                "dup_mac_severity:note: no duplicate warning")
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.dup.mac_note", ["macchk.dup_mac_severity:note"]), dup,
                "dup_mac_severity:note: the same frames as notes")
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.invalid", ["macchk.dup_mac_severity:note"]),
                [2, 3, 5, 6], "dup_mac_severity:note: only the IP conflict is invalid")
        rep = self.report("arp-conflicts.pcap", "-o", "macchk.dup_mac_severity:note", json_form=True)
        r.equal(sorted({(p["kind"], p["severity"]) for p in rep["problems"] if p["kind"] == "duplicate_mac"}),
                [("duplicate_mac", "note")], "dup_mac_severity:note: report severity")
        r.equal((rep["counts"]["warnings"], rep["counts"]["notes"]), (1, 5), "dup_mac_severity:note: counts")

        # the note switches
        for pref, capture, expert, frames in [
                ("note_unicast_request", "arp-exchanges.pcap", "macchk.arp.unicast_request", [20]),
                ("note_target_mismatch", "arp-exchanges.pcap", "macchk.arp.target_mismatch", [27]),
                ("note_unsolicited", "arp-exchanges.pcap", "macchk.arp.unsolicited", [11, 12, 31]),
                ("note_changes", "arp-conflicts.pcap", "macchk.arp.ip_moved", [12]),
                ("note_changes", "arp-conflicts.pcap", "macchk.dup.renumbered", [28]),
                ("note_qemu_default", "hypervisors.pcap", "macchk.src.qemu_default", [3, 5]),
                ("note_slap_reserved", "zero-and-special.pcap", "macchk.src.slap_reserved", [31])]:
            r.equal(self.flagged(capture, expert), frames, "%s on: %s" % (pref, expert))
            r.equal(self.flagged(capture, expert, ["macchk.%s:TRUE" % pref]), frames, "%s:TRUE" % pref)
            r.equal(self.flagged(capture, expert, ["macchk.%s:FALSE" % pref]), [], "%s:FALSE" % pref)
        kinds = lambda rep: sorted({p["kind"] for p in rep["problems"]})
        on = kinds(self.report("arp-exchanges.pcap", json_form=True))
        off = kinds(self.report("arp-exchanges.pcap", "-o", "macchk.note_unicast_request:FALSE", "-o",
                                "macchk.note_target_mismatch:FALSE", "-o", "macchk.note_unsolicited:FALSE",
                                json_form=True))
        r.equal(sorted(set(on) - set(off)), ["arp_target_mismatch", "arp_unicast_request", "arp_unsolicited"],
                "note switches off: those notes leave the report")
        on = kinds(self.report("arp-conflicts.pcap", json_form=True))
        off = kinds(self.report("arp-conflicts.pcap", "-o", "macchk.note_changes:FALSE", "-o",
                                "macchk.note_qemu_default:FALSE", json_form=True))
        r.equal(sorted(set(on) - set(off)), ["ip_moved", "mac_renumbered", "qemu_default_mac"],
                "note_changes/note_qemu_default off: moves, renumbering and QEMU's default leave the report")
        r.check("ip_conflict" in off and "duplicate_mac" in off, "note switches leave the warnings alone")

        # the allow-list UAT: an IPv4 address, a MAC
        allow_ip = 'uat:macchk_allow:"10.2.0.30","proxy ARP router"'
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.dup.mac", [allow_ip]), [37, 39, 41, 43],
                "allow-list 10.2.0.30: the proxy's duplicate claims are expected")
        rep = self.report("arp-conflicts.pcap", "-o", allow_ip, json_form=True)
        r.check(not any("00:1b:21:02:1e:0e" in p["hosts"] for p in rep["problems"]),
                "allow-list 10.2.0.30: the proxy leaves the report")
        r.equal(rep["counts"]["warnings"], 2, "allow-list 10.2.0.30: two warnings left")
        allow_mac = 'uat:macchk_allow:"52:54:00:12:34:56","QEMU twins, known"'
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.dup.mac", [allow_mac]), [16, 18, 20, 22],
                "allow-list 52:54:00:12:34:56: the twins are expected")
        allow_conflict = 'uat:macchk_allow:"10.2.0.10",""'
        r.equal(self.flagged("arp-conflicts.pcap", "macchk.arp.ip_conflict", [allow_conflict]), [],
                "allow-list 10.2.0.10: no IP conflict")
        text = self.report("arp-conflicts.pcap", "-o", allow_conflict)
        r.check("10.2.0.10 is claimed" not in text and "10.2.0.10 moved" not in text,
                "allow-list 10.2.0.10: the conflict leaves the report, and is not called a move")

    def test_allow_list_file(self):
        """A bad line of the allow-list file (the profile's macchk_allow) is
        named with its line and value, once, and skipped; the good lines
        around it still apply."""
        r = self.r
        conflicts = self.flagged("arp-conflicts.pcap", "macchk.arp.ip_conflict")
        duplicates = self.flagged("arp-conflicts.pcap", "macchk.dup.mac")
        r.check(conflicts and 37 in duplicates, "without an allow-list: a conflict and the proxy's duplicates")
        config = os.path.join(self.t.home, ".config", "wireshark")
        os.makedirs(config, exist_ok=True)
        os.chmod(os.path.join(self.t.home, ".config"), 0o777)
        os.chmod(config, 0o777)
        path = os.path.join(config, "macchk_allow")
        with open(path, "w") as f:
            f.write('# known cases on this LAN\n"10.2.0.10","renumbered printer"\n"10.2.0.300","typo"\n'
                    '"10.2.0.30","proxy ARP router"\n')
        try:
            args = ["-n", "-2", "-r", self.t.path("arp-conflicts.pcap"), "-T", "fields", "-e", "frame.number"]
            proc = self.t.run(args + ["-Y", "macchk.arp.ip_conflict"])
            r.equal(proc.stdout.split(), [], "allow-list file: line 2 (10.2.0.10) still clears the conflict")
            r.equal([int(n) for n in self.t.run(args + ["-Y", "macchk.dup.mac"]).stdout.split()],
                    [37, 39, 41, 43], "allow-list file: line 4 (10.2.0.30) still clears the proxy's claims")
            warnings = [l for l in proc.stderr.splitlines() if "macchk allow-list" in l]
            r.equal(len(warnings), 1, "allow-list file: one warning: %r" % proc.stderr)
            r.check(warnings and "%s, line 3: \"10.2.0.300\" is neither a MAC address" % path in warnings[0]
                    and "skipped" in warnings[0], "allow-list file: the warning names line 3 and its value: %r"
                    % warnings)
            # an -o entry beyond the file's lines is named as such, the file's lines still apply
            proc = self.t.run(args + ["-Y", "macchk.dup.mac", "-o", 'uat:macchk_allow:"52:54:00:12:34:5",""'])
            r.check('entry 4 (-o uat:macchk_allow): "52:54:00:12:34:5"' in proc.stderr and
                    "line 3:" in proc.stderr, "a bad -o entry: %r" % proc.stderr)
            r.equal([int(n) for n in proc.stdout.split()], [37, 39, 41, 43], "a bad -o entry: the file still applies")
        finally:
            os.remove(path)

    def test_table_cap_range(self):
        """table_cap outside 1..16777216 is clamped to the nearer bound with a
        warning (tshark goes on); inside, no warning."""
        r = self.r
        capture = self.t.path("arp-conflicts.pcap")

        def run(cap, *extra):
            proc = self.t.run(["-n", "-q", "-r", capture, "-z", "macchk,report,json", "-o",
                               "macchk.table_cap:%d" % cap] + list(extra), check=False)
            return proc.returncode, proc.stdout, [l for l in proc.stderr.splitlines() if "table_cap" in l]

        lowest, highest = run(1), run(16777216)
        r.check(lowest[1] != highest[1], "table_cap 1 and 16777216 give different reports")
        for cap, used in [(0, 1), (1, None), (16777216, None), (16777217, 16777216), (4294967295, 16777216)]:
            rc, out, warned = run(cap)
            r.equal(rc, 0, "table_cap %d: tshark succeeds" % cap)
            if used is None:
                r.equal(warned, [], "table_cap %d: in range, no warning" % cap)
                continue
            message = "macchk: preference macchk.table_cap is %d, outside its range 1-16777216: using %d" % (cap, used)
            r.check(len(warned) == 1 and warned[0].endswith(message), "table_cap %d: clamped with a warning: %r"
                    % (cap, warned))
            r.equal(out, (lowest if used == 1 else highest)[1], "table_cap %d: the report of table_cap %d"
                    % (cap, used))
        full = self.t.run(["-n", "-2", "-r", capture, "-o", "macchk.table_cap:0", "-Y", "macchk.table_full", "-V"])
        r.check("tracking tables are full (1 entries" in full.stdout, "table_cap 0: the expert info says 1")
        rc, out, warned = run(0, "-2")
        r.equal(len(warned), 1, "table_cap 0 with -2: warned once")

    # --- the GUI profile and coloring rules -------------------------------

    def test_profile(self):
        """tools/install-profile puts gui/profile/macchk where Wireshark looks;
        tshark -C macchk then shows the macchk columns and colours invalid
        frames with the macchk rule (the GUI reads the same files)."""
        r = self.r
        config = os.path.join(self.t.home, ".config", "wireshark")
        proc = subprocess.run(["sh", os.path.join(HERE, "..", "tools", "install-profile"), config],
                              capture_output=True, text=True)
        r.equal(proc.returncode, 0, "install-profile: %s" % proc.stderr)
        again = subprocess.run(["sh", os.path.join(HERE, "..", "tools", "install-profile"), config],
                               capture_output=True, text=True)
        r.check(again.returncode == 1 and "--force" in again.stderr, "install-profile keeps an existing profile")
        for folder, dirs, files in os.walk(os.path.join(self.t.home, ".config")):
            os.chmod(folder, 0o777)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o666)
        out = self.t.run(["-n", "-C", "macchk", "-r", self.t.path("bad-guest-mac.pcap")])
        lines = out.stdout.splitlines()
        r.check(len(lines) == 15 and "multicast" in lines[0] and "request" in lines[0] and lines[0].rstrip()
                .split()[-1] != "", "profile columns: %r" % lines[:2])
        r.check(out.stderr.strip() == "" or "Running as user" in out.stderr, "profile loads cleanly: %r"
                % out.stderr)
        # tshark colours only a terminal; PSML carries the colours of every frame
        psml = self.t.run(["-n", "-2", "-C", "macchk", "--color", "-T", "psml", "-r",
                           self.t.path("arp-exchanges.pcap")])
        colours = re.findall(r"<packet foreground='(#\w+)' background='(#\w+)'>", psml.stdout)
        invalid = [i + 1 for i, c in enumerate(colours) if c == ("#ffffff", "#ba2323")]
        notes = [i + 1 for i, c in enumerate(colours) if c == ("#12272e", "#ffbe64")]
        r.equal(invalid, self.flagged("arp-exchanges.pcap", "macchk.invalid"),
                "the macchk rule colours exactly the invalid frames")
        r.equal(notes, [11, 12, 20, 25, 27], "the note rule colours frames with only macchk notes")
        r.check("rror" not in psml.stderr, "coloring rules parse: %r" % psml.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--captures", required=True)
    parser.add_argument("--update", action="store_true", help="rewrite the golden files")
    parser.add_argument("--only", help="run only the tests whose name contains this")
    args = parser.parse_args()

    results = Results()
    tshark = Tshark(args.plugin, args.captures)
    suite = Suite(tshark, results, args.update, args.plugin)
    try:
        run_tests(suite, results, args.only)
    finally:
        tshark.close()
    return results.close("test_prefs_report")


if __name__ == "__main__":
    sys.exit(main())
