"""``display_path``: a reported path relative to the current directory when it lies under it, else
as given; its shortcut for absolute normal paths answers exactly what ``os.path.relpath`` would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ssot_lsp.cli.report.text import display_path


def _by_relpath(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _candidates(cwd: str) -> list[str]:
    parent = os.path.dirname(cwd)
    return [cwd, cwd + "/x.py", cwd + "/pkg/mod.py", cwd + "/", cwd + "/..hidden/x.py", cwd + "/pkg/../x.py",
            cwd + "/./x.py", cwd + "x/y.py", cwd + "_backup/app.py", parent, parent + "/other/x.py", "/", "/etc/x.py",
            "//net/share/x.py", "rel/x.py", "./rel/x.py", "../up/x.py", ".", "..", ""]


@pytest.mark.parametrize("where", ["deep", "root", "double-slash"])
def test_every_path_is_displayed_as_relpath_would_display_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             where: str):
    directory = {"deep": tmp_path / "work" / "repo", "root": Path("/"), "double-slash": tmp_path}[where]
    directory.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir("//" + str(directory).lstrip("/") if where == "double-slash" else directory)
    for path in _candidates(os.getcwd()):
        assert display_path(path) == _by_relpath(path), (os.getcwd(), path)


def test_a_file_under_the_current_directory_is_shown_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(str(tmp_path / "app" / "engine.py")) == os.path.join("app", "engine.py")


def test_a_file_of_a_sibling_directory_sharing_the_prefix_stays_absolute(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    assert display_path(str(tmp_path / "repo_backup" / "x.py")) == str(tmp_path / "repo_backup" / "x.py")
