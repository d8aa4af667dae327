"""A later commit of ``audit --history`` makes the figures of the files whose findings, modules or
blob changed and keeps the others' shares (``audit/history/ledger.py``): every figure must be the
one computed from all findings, whatever changed in between."""

from __future__ import annotations

import random
from pathlib import Path

from ssot_lsp.audit.comparison import compare
from ssot_lsp.audit.history.git import GitError
from ssot_lsp.audit.history.ledger import BlobLines, Ledger, split_up_to
from ssot_lsp.audit.sites import sites_of
from ssot_lsp.audit.tables import BROKEN_CODE, rule_order, totals_of
from ssot_lsp.config.loader import parse_config_table
from ssot_lsp.core import baseline as core
from ssot_lsp.core.rules.syntax_error import SyntaxPayload
from ssot_lsp.core.text import Span, split_lines
from ssot_lsp.core.violations import Violation

ROOT = "/ws/"
CONFIG = parse_config_table({
    "test-paths": ["tests/**"],
    "groups": [{"name": "engine", "canonical": "app.engine:Engine", "legacy-modules": ["app.old_engine"]}],
}, "test", Path("/ws"))
# another configuration: other test code, the sites made again
OTHER_CONFIG = parse_config_table({
    "test-paths": ["app/**"],
    "groups": [{"name": "engine", "canonical": "app.engine:Engine", "legacy-modules": ["app.old_engine"]}],
}, "test", Path("/ws"))
PATHS = [ROOT + rel for rel in ("app/a.py", "app/b.py", "app/c.py", "tests/test_a.py", "tests/test_b.py", "tools/x.py")]
# a dotted target's subject depends on which of its prefixes are modules
SYMBOLS = ["app.old_engine:OldEngine", "app.jobs.legacy.OldEngine.start", "app.engine:Engine", ""]
TOGGLED_MODULES = ["app.jobs.legacy", "app.jobs"]
CODES = ["SSOT001", "SSOT007", "SSOT009", BROKEN_CODE]


def finding(rng: random.Random, path: str) -> Violation:
    code = rng.choice(CODES)
    payload = SyntaxPayload(newer_syntax=rng.random() < 0.3) if code == "SSOT009" else None
    line = rng.randrange(4)
    extra = {"payload": payload} if payload is not None else {}
    return Violation(code=code, message=f"{code} m", path=path, span=Span(line, 0, line, 1),
                     severity=rng.choice(["warning", "error", "information"]), group=rng.choice(["engine", None]),
                     symbol=rng.choice(SYMBOLS), **extra)


def line_of(files: dict[str, str], rel: str, line: int) -> str:
    """A line's text depends on its file's blob (as the file's text would)."""
    return f"{files.get(rel)} {line % 2}"


def test_the_ledgers_figures_are_those_of_every_finding_after_any_sequence_of_changes():
    rng = random.Random(11)
    ledger = Ledger(ROOT)
    findings: dict[str, list[Violation]] = {}
    modules: dict[str, str] = {"app.old_engine": ROOT + "app/old_engine.py"}
    files = {path.removeprefix(ROOT): "blob0" for path in PATHS}
    baselines: list[core.Baseline] = []
    changed: set[str] = set()
    came_or_went: set[str] = set()
    touched: set[str] = set()
    config = CONFIG
    kept_keys = 0  # steps where an entry kept its keys while another's blob changed (or this proves little)
    for step in range(400):
        what = rng.random()
        path = rng.choice(PATHS)
        if what < 0.45:  # the file's findings are another list
            findings[path] = sorted((finding(rng, path) for _ in range(rng.randrange(4))), key=Violation.sort_key)
            changed.add(path)
        elif what < 0.6:  # a module a dotted target names comes or goes
            module = rng.choice(TOGGLED_MODULES)
            if modules.pop(module, None) is None:
                modules[module] = ROOT + module.replace(".", "/") + ".py"
            came_or_went.add(module)
        elif what < 0.8:  # an edit that leaves the findings as they were: another blob, other line texts
            rel = path.removeprefix(ROOT)
            files[rel] = f"blob{step}"
            touched.add(rel)
            kept_keys += bool(findings.get(path))
        elif what < 0.84:
            config = OTHER_CONFIG if config is CONFIG else CONFIG
        elif what < 0.9:  # a baseline of what is found now, or one recorded before
            keyed = [core.Keyed(v, (p.removeprefix(ROOT), v.code, v.fingerprint(line_of(files, p.removeprefix(ROOT), v.span.line))))
                     for p in sorted(findings) for v in findings[p]]
            baselines.append(core.build(keyed))
        paths = sorted(p for p, found in findings.items() if found)
        got_sites, got_findings = ledger.update(findings, paths, changed, config, modules, came_or_went, touched,
                                                files).flat()
        changed, came_or_went, touched = set(), set(), set()

        def relpath(p: str) -> str:
            return p.removeprefix(ROOT)

        violations = [v for p in paths for v in findings[p]]
        sites = sites_of(violations, config, relpath, modules)
        assert got_sites == sites, step
        assert got_findings == violations, step
        assert ledger.totals() == totals_of(sites, rule_order()), step
        assert ledger.broken(BROKEN_CODE) == sum(s.code == BROKEN_CODE for s in sites)
        assert ledger.unparsable_paths() == sorted({s.path for s, v in zip(sites, violations)
                                                    if isinstance(v.payload, SyntaxPayload) and not v.payload.newer_syntax})
        if baselines and rng.random() < 0.8:
            baseline = rng.choice(baselines[-2:])
            keyed = [core.Keyed(v, (relpath(p), v.code, v.fingerprint(line_of(files, relpath(p), v.span.line))))
                     for p in paths for v in findings[p]]
            expected = compare(baseline, keyed, sites, "b.json")
            assert ledger.compare(baseline, "b.json", lambda rels: None,
                                  lambda rel, line: line_of(files, rel, line), files) == expected, step
    assert kept_keys > 20


def test_a_blob_split_up_to_a_line_holds_its_lines_up_to_it_as_the_whole_split_does():
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(["a", "b c", "\n", "\r\n", "\r", " "]) for _ in range(rng.randrange(30)))
        last = rng.randrange(12)
        lines, complete = split_up_to(text, last)
        assert lines == split_lines(text)[:last + 1]
        if complete:
            assert lines == split_lines(text)


def test_a_line_past_those_split_before_is_split_again_from_the_blob():
    """Keys of a file's findings were read up to line 1; its findings change, the blob stays: line 3
    is the blob's, not the empty line of a line past its end."""
    asked: list[list[str]] = []

    def contents(oids: list[str]) -> list[bytes | None | GitError]:
        asked.append(oids)
        return [b"zero\none\r\ntwo\rthree\nfour\n" for _ in oids]

    lines = BlobLines(contents)
    lines.read({"blob": 1})
    assert lines.line("blob", 1) == "one"
    assert lines.line("blob", 3) == "three"
    assert lines.line("blob", 9) == ""
    assert asked == [["blob"]] * 3  # up to line 1, to line 3, then to its end
