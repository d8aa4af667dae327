"""The realistic corpus committed as a history (benchmarks/generate_history.py), generated small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.benchmarks.test_corpus_generator import generate

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "benchmarks" / "generate_history.py"


def write_history(corpus: Path, out: Path, commits: int = 6, churn: float = 0.05) -> Path:
    subprocess.run([sys.executable, str(HISTORY), "--corpus", str(corpus), "--out", str(out), "--commits",
                    str(commits), "--churn", str(churn), "--no-baseline"], check=True, capture_output=True)
    return out


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_the_last_commit_is_the_corpus_and_the_commits_change_about_the_churn(tmp_path: Path):
    corpus = generate(tmp_path / "corpus", seed=3)
    repo = write_history(corpus, tmp_path / "history")
    assert len(git(repo, "rev-list", "main").split()) == 6
    tracked = set(git(repo, "ls-files").split())
    python = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.py")}
    assert python <= tracked
    for rel in sorted(python)[:50]:
        assert (repo / rel).read_bytes() == (corpus / rel).read_bytes(), rel
    changed = [len(git(repo, "diff", "--name-only", f"main~{i + 1}", f"main~{i}").split()) for i in range(5)]
    assert all(0.03 * len(python) <= n <= 0.08 * len(python) for n in changed), changed


def test_one_commit_has_an_invalid_configuration_and_the_next_repairs_it(tmp_path: Path):
    repo = write_history(generate(tmp_path / "corpus", seed=3), tmp_path / "history")
    subjects = git(repo, "log", "--reverse", "--format=%s", "main").splitlines()
    bad = subjects.index("Configure ssot-lsp (extend-exclude)")
    assert subjects[bad + 1].startswith("Revert the ssot-lsp configuration")
    assert 'extend-exclude = "backups"' in git(repo, "show", f"main~{len(subjects) - 1 - bad}:pyproject.toml")
