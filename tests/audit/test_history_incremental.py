"""`audit --history` works by difference — only the files a commit changed are named, read and
re-analysed, everything else is carried over from the commit before — and draws each point exactly
as a from-scratch `ssot-lsp audit` of a checkout of that commit would.

The history renames, adds and removes files, changes the configuration between commits, moves the
legacy class to another module (its callers unchanged) and reaches it through a plain
``import a.b``, so that every kind of carried-over result is exercised.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ssot_lsp.audit.document import tables_dict
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import ChangesAlong, Repository
from ssot_lsp.audit.history.points import OK
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.config.loader import DEFAULT_SOURCE
from tests.audit.conftest import History, checkout
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, SMALL_FILES, base_env, run_ssot, ssot_executable

# ``import a.b`` then ``a.b.Name``: what the caller gets depends on app.compat's bindings
ATTRIBUTE_CALLER = "import app.compat\n\n\ndef run():\n    return app.compat.Engine()\n"
COMPAT_LEGACY = "from app.old_engine import OldEngine as Engine\n"
COMPAT_CANONICAL = "from app.engine import Engine\n"
SERVICE = "from app.old_engine import OldEngine\n\n\nclass Service:\n    def start(self):\n        return OldEngine()\n"
TEST_DOUBLE = "from app.old_engine import OldEngine\n\n\ndef test_engine():\n    assert OldEngine()\n"
MOVED_LEGACY = "class OldEngine:  # ssot: ignore[SSOT004]\n    pass\n"
WITH_TEST_PATHS = SMALL_CONFIG.replace("[tool.ssot-lsp]\n", '[tool.ssot-lsp]\ntest-paths = ["tests/**"]\n', 1)
# files no commit touches: carried from commit to commit, analysed again only when what they read changes
UNTOUCHED = {**{f"app/jobs/job_{n}.py": LEGACY_CALLER.replace("run", f"run_{n}") for n in range(4)},
             "app/jobs/__init__.py": "",
             **{f"app/util_{n}.py": f"def helper_{n}(value):\n    return value * {n}\n" for n in range(4)}}
TABLE_KEYS = ("groups", "codes", "totals", "symbols", "directories", "broken", "baseline")


def build(history: History) -> None:
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, **UNTOUCHED, "app/caller.py": LEGACY_CALLER,
                    "app/user.py": ATTRIBUTE_CALLER, "app/compat.py": COMPAT_LEGACY,
                    "app/services/__init__.py": "", "app/services/billing.py": SERVICE},
                   "Start: legacy callers, one through a plain import of a re-exporting module")
    history.commit({"app/caller.py": None, "app/services/caller.py": LEGACY_CALLER,
                    "tests/test_engine.py": TEST_DOUBLE}, "Rename the caller into services; a test")
    history.commit({"app/compat.py": COMPAT_CANONICAL}, "compat re-exports the canonical class")
    history.commit({"pyproject.toml": WITH_TEST_PATHS,
                    "app/services/billing.py": None}, "Configure test paths; billing is gone")
    history.commit({"app/compat.py": COMPAT_LEGACY, "app/services/report.py": SERVICE},
                   "compat goes back to the legacy class; a new legacy user")
    history.commit({"app/legacy/__init__.py": "", "app/legacy/engine.py": MOVED_LEGACY,
                    "app/old_engine.py": "from app.legacy.engine import OldEngine\n"},
                   "Move the legacy class; the old module re-exports it")
    history.commit({"pyproject.toml": WITH_TEST_PATHS.replace('legacy-modules = ["app.old_engine"]',
                                                              'legacy-modules = ["app.old_engine", "app.legacy"]')},
                   "Its new module is legacy too")
    history.commit({"app/services/__init__.py": None, "app/services/caller.py": None,
                    "app/services/report.py": None, "app/services.py": LEGACY_CALLER},
                   "The services package becomes a module")
    history.commit({"app/compat.py": None}, "compat is gone: the plain import reaches nothing")


def run_for(repo: Path) -> HistoryRun:
    root = repo.resolve()
    return HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None),
                      HistorySettings(jobs=1))


def tables_of_every_point(repo: Path) -> tuple[HistoryRun, list[dict | None]]:
    """Each commit's tables, from one run that carries results from commit to commit."""
    run = run_for(repo)
    out: list[dict | None] = []
    try:
        for commit in run.repo.commits("main"):
            point = run.point(commit)
            out.append(tables_dict(run.latest) if point.status == OK and run.latest is not None else None)
    finally:
        run.source.close()
        run.repo.close()
    return run, out


def test_every_point_has_the_tables_of_audit_on_a_checkout_of_its_commit(history: History, tmp_path: Path):
    build(history)
    run, tables = tables_of_every_point(history.repo)
    # results and facts were carried over (here ~100 of each), or this proves nothing
    assert run.reuse.reused >= 50 and run.facts.hits >= 50
    for number, (commit, drawn) in enumerate(zip(history.commits, tables)):
        tree = checkout(history.repo, commit, tmp_path / f"commit-{number}")
        audit = run_ssot("audit", "--format", "json", cwd=tree)
        assert audit.returncode == 0, (number, audit.stderr)
        expected = {key: value for key, value in json.loads(audit.stdout).items() if key in TABLE_KEYS}
        assert drawn == expected, f"commit {number}: {history.commits[number][:10]}"


def test_a_plain_import_of_a_module_that_changed_is_analysed_again(history: History):
    """``app/user.py`` never changes; the module it imports with ``import app.compat`` does."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/user.py": ATTRIBUTE_CALLER,
                    "app/compat.py": COMPAT_LEGACY}, "user reaches the legacy class through compat")
    history.commit({"app/compat.py": COMPAT_CANONICAL}, "compat now re-exports the canonical class")
    history.commit({"app/compat.py": COMPAT_CANONICAL + "\n\ndef helper():\n    return 1\n"}, "unrelated change")
    history.commit({"app/compat.py": COMPAT_LEGACY}, "back to the legacy class")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    user = [sorted((s.line, s.code) for s in p.sites if s.path == "app/user.py") for p in points]
    assert user[0] and user[3] == user[0]  # the legacy class constructed through the attribute
    assert user[1] and user[1] != user[0]  # now the canonical class, constructed without its factory
    assert user[2] == user[1]  # an unrelated change to compat
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        assert sorted((s.path, s.line, s.code) for s in point.sites) == \
            sorted((s.path, s.line, s.code) for s in alone.sites), commit.short


def test_a_file_whose_edit_leaves_its_facts_equal_keeps_its_facts_and_is_not_analysed_again(history: History):
    """A comment added to the legacy caller changes its blob, not its facts: the facts of the commit
    before are handed out again, so nothing that was computed from them is computed again."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LEGACY_CALLER}, "A legacy caller")
    history.commit({"app/caller.py": LEGACY_CALLER.replace("def run():", "def run():  # the entry point")},
                   "Comment the caller")
    run = run_for(history.repo)
    try:
        commits = run.repo.commits("main")
        first = run.point(commits[0])
        path = run.named.root + "app/caller.py"
        before, computed = run.facts.entries[path], run.reuse.computed
        second = run.point(commits[1])
        after = run.facts.entries[path]
    finally:
        run.source.close()  # its git cat-file: no child process outlives the test
        run.repo.close()
    assert after[0] != before[0]  # another blob ...
    assert after[1][0] is before[1][0]  # ... with the same facts
    assert run.reuse.computed == computed
    assert [(s.path, s.line, s.code) for s in second.sites] == [(s.path, s.line, s.code) for s in first.sites] != []


HELPERS = "".join(f"\n\ndef _normalise_{n}(value):\n    return str(value).strip()\n" for n in range(30))
LONG_CALLER = LEGACY_CALLER + HELPERS  # long enough for its statements that matter to be parsed alone


def test_a_long_file_edited_where_nothing_matters_is_not_parsed_again_and_gives_the_same_points(history: History):
    """Helpers appended to a long legacy caller, commit after commit: the statements that matter
    are those of the last version, so its partial parse is replayed from the record of the last one
    (``core/partial/replay.py``) — and every point is still the commit analysed alone."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LONG_CALLER}, "A long legacy caller")
    for n in range(3):
        history.commit({"app/caller.py": LONG_CALLER + f"\n\ndef _tidy_{n}(value):\n    return value\n"},
                       f"Helper {n}")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    assert run.source.replays.replayed >= 2
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        assert sorted((s.path, s.line, s.code) for s in point.sites) == \
            sorted((s.path, s.line, s.code) for s in alone.sites) != [], commit.short


def changes_known_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Git's changes along the commits waited for when the first read asks whether they are known."""
    monkeypatch.setattr(ChangesAlong, "ready", lambda self: bool(self.result()) or True)


def two_long_callers_one_edited(history: History) -> None:
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LONG_CALLER,
                    "app/steady.py": LONG_CALLER.replace("run", "steady")}, "Two long legacy callers")
    history.commit({"app/caller.py": LONG_CALLER + "\n\ndef _tidy(value):\n    return value\n"}, "A helper")


def test_only_the_partial_parses_of_files_a_later_commit_changes_are_recorded(history: History,
                                                                              monkeypatch: pytest.MonkeyPatch):
    """(``blobs.Replays.kept``.) Recording hashes every round of a partial parse: a file no later
    commit of the run changes is never read again, so its record would only cost."""
    changes_known_when_asked(monkeypatch)
    two_long_callers_one_edited(history)
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    first = run.run(commits[:1])[0]
    assert first.sites and run.source.replays.records == {}  # a single commit: nothing read again
    run = run_for(history.repo)
    run.run(commits)
    root = str(history.repo.resolve()) + "/"
    assert set(run.source.replays.records) == {root + "app/caller.py"}
    assert run.source.replays.replayed == 1


def test_every_partial_parse_is_recorded_while_git_has_not_said_what_changes_later(history: History,
                                                                                   monkeypatch: pytest.MonkeyPatch):
    """The first read does not wait for git's changes along the commits; the points are the same."""
    two_long_callers_one_edited(history)
    known = run_for(history.repo)
    changes_known_when_asked(monkeypatch)
    points = known.run(known.repo.commits("main"))
    monkeypatch.setattr(ChangesAlong, "ready", lambda self: False)
    run = run_for(history.repo)
    assert [p.sites for p in run.run(run.repo.commits("main"))] == [p.sites for p in points]
    root = str(history.repo.resolve()) + "/"
    assert set(run.source.replays.records) == {root + "app/caller.py", root + "app/steady.py"}
    assert run.source.replays.replayed == 1


def test_files_read_in_a_later_round_of_a_commit_are_in_the_index_the_analysis_resolves_through(history: History):
    """``app/user.py`` and ``app/third.py`` never change and mention no group name: the prefilter
    skips them until compat's ``Runner`` becomes the legacy class; then a second round reads them,
    and third's ``Runner()`` reaches the legacy class through user's import."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/runners.py": "class Runner:\n    pass\n",
                    "app/compat.py": "from app.runners import Runner\n", "app/user.py": "from app.compat import Runner\n",
                    "app/third.py": "from app.user import Runner\n\n\ndef go():\n    return Runner()\n"},
                   "Runner is a plain class")
    history.commit({"app/compat.py": "from app.old_engine import OldEngine as Runner\n"}, "Runner is the legacy class")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    assert not [s for s in points[0].sites if s.path == "app/third.py"]
    assert [s for s in points[1].sites if s.path == "app/third.py"]
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        assert sorted((s.path, s.line, s.code) for s in point.sites) == \
            sorted((s.path, s.line, s.code) for s in alone.sites), commit.short


VENDORED_LEGACY = SMALL_CONFIG.replace('legacy-symbols = ["app.old_engine:OldEngine"]',
                                      'legacy-symbols = ["app.old_engine:OldEngine", "vendor.old:OldEngine"]')
# ``vendor`` is bound by the last import either way: only the module-level imports differ, and
# ``vendor.old.OldEngine`` is the vendored legacy class only while ``import vendor.old`` is there
MID = "import vendor.{}\nimport vendor.base\n\n\nclass Mid(vendor.old.OldEngine):\n    pass\n"
USER = "from app.mid import Mid\n\n\nclass MyEngine(Mid):\n    def start(self):\n        return 1\n"


def test_a_subclass_is_analysed_again_when_the_imports_its_base_resolves_through_change(history: History):
    """``app/user.py`` never changes; whether its base extends a legacy class depends on a plain
    import of ``app/mid.py`` (a module outside the workspace), not on any binding of it."""
    history.commit({"pyproject.toml": VENDORED_LEGACY, **SMALL_FILES, "app/mid.py": MID.format("old"),
                    "app/user.py": USER}, "Mid extends the vendored legacy engine")
    history.commit({"app/mid.py": MID.format("other")}, "mid imports another vendored module")
    history.commit({"app/mid.py": MID.format("old")}, "and the legacy one again")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    user = [sorted((s.line, s.code) for s in p.sites if s.path == "app/user.py") for p in points]
    assert user[0] and user[2] == user[0] and user[1] == []
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        assert sorted((s.path, s.line, s.code) for s in point.sites) == \
            sorted((s.path, s.line, s.code) for s in alone.sites), commit.short


def fast_history(repo: Path, commits: int) -> None:
    """``commits`` commits written at once through ``git fast-import``, each changing one of 20
    legacy callers (a history long enough to interrupt, built in a second)."""
    files = {"pyproject.toml": SMALL_CONFIG, **SMALL_FILES,
             **{f"app/callers/caller_{n}.py": LEGACY_CALLER for n in range(20)}}
    stream = []
    for number in range(commits):
        if number:
            rel = f"app/callers/caller_{number % 20}.py"
            files = {rel: LEGACY_CALLER + f"\n\ndef step_{number}():\n    return {number}\n"}
        stream.append(f"commit refs/heads/main\ncommitter Mei Lin <mei@example.org> {1_740_000_000 + number * 3600} +0000\n"
                      f"data 9\nstep {number:04d}\n")
        for rel, text in files.items():
            data = text.encode()
            stream.append(f"M 100644 inline {rel}\ndata {len(data)}\n{text}\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input="".join(stream).encode(), check=True,
                   env=base_env(GIT_CONFIG_NOSYSTEM="1", HOME=str(repo)))


def read_until(leader: int, wanted: bytes, seconds: float) -> bytes:
    """What the terminal received, up to and including ``wanted`` (fails after ``seconds``)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"{wanted!r} never shown; the terminal got {seen[-500:]!r}"
        ready, _, _ = select.select([leader], [], [], left)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end is closed
                chunk = b""
            assert chunk, f"the terminal closed before {wanted!r}; it got {seen[-500:]!r}"
            seen += chunk
    return seen


def test_ctrl_c_during_history_exits_130_with_a_message_and_no_traceback(history: History):
    fast_history(history.repo, 400)
    leader, follower = pty.openpty()
    env = {k: v for k, v in base_env().items() if k != "CI"}  # the progress bar is drawn on a terminal only
    proc = subprocess.Popen([ssot_executable(), "audit", "--history", "main", "--max-points", "400", "--format", "json",
                             "-o", "report.json"],
                            cwd=history.repo, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
                            env=env)
    os.close(follower)
    try:
        shown = read_until(leader, b"/400 commits", 60)  # the progress bar: a commit is done, more are to come
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
        rest = b""
        while select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end closed: nothing more
                break
            if not chunk:
                break
            rest += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    said = (shown + rest).decode("utf-8", "replace")
    assert "interrupted after" in said and "of 400 commits; no report written" in said, said[-800:]
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said[-2000:]
    assert not (history.repo / "report.json").exists()


def test_a_pyproject_that_gains_the_table_configures_its_commit_and_one_that_loses_it_leaves_the_defaults(
        history: History):
    """A pyproject.toml without ``[tool.ssot-lsp]`` is not read again while its blob stays; another
    blob of it is."""
    plain = '[project]\nname = "app"\n'
    history.commit({"pyproject.toml": plain, **SMALL_FILES, "app/caller.py": LEGACY_CALLER}, "No table")
    history.commit({"app/util_0.py": "def helper():\n    return 1\n"}, "Another file")
    history.commit({"pyproject.toml": plain + "\n" + SMALL_CONFIG}, "The table")
    history.commit({"pyproject.toml": plain}, "No table again")
    run = run_for(history.repo)
    points = run.run(run.repo.commits("main"))
    assert [p.configuration for p in points] == [DEFAULT_SOURCE, DEFAULT_SOURCE, f"{points[2].commit.short}:pyproject.toml",
                                                 DEFAULT_SOURCE]
