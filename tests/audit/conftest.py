"""Fixtures for the audit tests: git repositories built commit by commit, checkouts of a commit."""

from __future__ import annotations

import io
import subprocess
import tarfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ssot_lsp.audit.history.git import BlobReader, GitError
from tests.cli.conftest import (
    base_env,
    small,  # noqa: F401 - the small configured workspace, as a fixture here too
)


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True,
                         env=base_env(GIT_CONFIG_NOSYSTEM="1", HOME=str(repo)))
    return out.stdout


@dataclass
class History:
    """A repository and its commits, oldest first; ``commit`` writes files (None deletes) and commits."""

    repo: Path
    commits: list[str] = field(default_factory=list)
    day: int = 0

    def commit(self, files: dict[str, str | bytes | None], message: str) -> str:
        for rel, content in files.items():
            path = self.repo / rel
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        self.day += 1
        date = f"2025-03-{self.day:02d}T10:00:00+00:00"
        git(self.repo, "add", "-A")
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message], cwd=self.repo, check=True,
                       env=base_env(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME="Mei Lin",
                                    GIT_AUTHOR_EMAIL="mei@example.org", GIT_COMMITTER_NAME="Mei Lin",
                                    GIT_COMMITTER_EMAIL="mei@example.org", HOME=str(self.repo)))
        oid = git(self.repo, "rev-parse", "HEAD").strip()
        self.commits.append(oid)
        return oid


@pytest.fixture
def history(tmp_path: Path) -> History:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return History(repo)


def checkout(repo: Path, commit: str, dest: Path) -> Path:
    """The files of ``commit`` written to ``dest`` (``git archive``: no second working tree of the repo)."""
    data = subprocess.run(["git", "archive", "--format=tar", commit], cwd=repo, capture_output=True, check=True).stdout
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


@pytest.fixture
def git_requests(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The blobs asked of any ``git cat-file``, request by request."""
    requests: list[list[str]] = []
    read_many = BlobReader.read_many

    def observed(self: BlobReader, oids: list[str], limit: int | None = None) -> list[bytes | None | GitError]:
        requests.append(list(oids))
        return read_many(self, oids, limit)

    monkeypatch.setattr(BlobReader, "read_many", observed)
    return requests
