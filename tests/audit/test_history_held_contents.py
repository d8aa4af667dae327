"""The contents of the files read into facts are kept while a path holds their blob
(``BlobSource.held``): a finding's line, for its baseline key, is read from them, never asked of git
again — most of a later commit's new findings are in files it did not change, read commits before."""

from __future__ import annotations

from pathlib import Path

from ssot_lsp.audit.history.blobs import BlobSource
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import GitError, Repository
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.core import baseline as core_baseline
from ssot_lsp.core import pool
from tests.audit.conftest import History, git
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, SMALL_FILES

OTHER = "X = 1\n"


def blob(history: History, rel: str) -> str:
    return git(history.repo, "rev-parse", f"HEAD:{rel}").strip()


def read(source: BlobSource, top: Path, files: dict[str, str]) -> None:
    """Read ``{root-relative path: blob}`` into facts, as a commit's scan does."""
    items = [(str(top / rel), oid, rel[:-3].replace("/", "."), False) for rel, oid in files.items()]
    source.read(items, None, None, frozenset(), frozenset(), 1 << 20)


def test_the_content_of_a_file_read_into_facts_is_not_asked_of_git_again(history: History, git_requests):
    history.commit({"app/caller.py": LEGACY_CALLER, "app/other.py": OTHER}, "Two files")
    top = history.repo.resolve()
    files = {"app/caller.py": blob(history, "app/caller.py"), "app/other.py": blob(history, "app/other.py")}
    source = BlobSource(top, 1)
    source.indexed = {}  # no working-tree file holds them: git would be asked
    try:
        read(source, top, files)
        git_requests.clear()
        assert source.contents(list(files.values())) == [LEGACY_CALLER.encode(), OTHER.encode()]
    finally:
        source.close()
    assert git_requests == []


def test_a_blob_is_let_go_once_no_path_holds_it(history: History, git_requests):
    history.commit({"app/caller.py": LEGACY_CALLER, "app/copy.py": LEGACY_CALLER}, "A file and its copy")
    first = blob(history, "app/caller.py")
    history.commit({"app/caller.py": LEGACY_CALLER + "\n\nY = 2\n"}, "The file edited")
    second = blob(history, "app/caller.py")
    top = history.repo.resolve()
    source = BlobSource(top, 1)
    source.indexed = {}
    try:
        read(source, top, {"app/caller.py": first, "app/copy.py": first})
        read(source, top, {"app/caller.py": second})
        assert source.held.keys() == {first, second}  # the copy still holds the first blob
        read(source, top, {"app/copy.py": second})
        assert source.held.keys() == {second}
        git_requests.clear()
        assert source.contents([first]) == [LEGACY_CALLER.encode()]  # from git again
    finally:
        source.close()
    assert git_requests == [[first]]


def test_a_run_asks_git_for_no_line_of_a_finding(history: History, monkeypatch):
    """Read here or by the child reading ahead, in the first commit or later: every finding's line
    comes from a content held — among them a file a later commit did not change, flagged because
    another file now aliases a legacy class."""
    from tests.audit.test_history_read_ahead import ALIAS, MOTOR_USER, edits

    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/aliases.py": "Motor = object\n",
                    "app/user.py": MOTOR_USER}, "Start")
    edits(history, 2)
    history.commit({"app/aliases.py": ALIAS}, "Alias the legacy engine")
    edits(history, 2)
    (history.repo / ".git" / "index").unlink()  # no working-tree file stands for a blob
    monkeypatch.setattr(pool, "_forking_is_safe", lambda: True)  # the test runner may have threads of its own
    asked_lines: list[str] = []
    not_held: list[str] = []
    contents = BlobSource.contents

    def observed(self: BlobSource, oids: list[str]) -> list[bytes | None | GitError]:
        asked_lines.extend(oids)
        not_held.extend(oid for oid in oids if oid not in self.held)
        return contents(self, oids)

    monkeypatch.setattr(BlobSource, "contents", observed)
    root = history.repo.resolve()
    # every point compared with a baseline: each finding's key holds its line
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None),
                     HistorySettings(jobs=2, baseline=core_baseline.build([]), baseline_label="empty"))
    points = run.run(run.repo.commits("main"))
    assert run.source.from_ahead > 0  # the later commits' files came from the child
    user = blob(history, "app/user.py")
    assert [any(s.path == "app/user.py" for s in p.sites) for p in points] == [False] * 3 + [True] * 3
    assert user in asked_lines and len(set(asked_lines)) >= 4  # the callers added later too
    assert not_held == []
