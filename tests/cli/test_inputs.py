"""Awkward inputs are reported and skipped, never a crash: encodings, NUL bytes, unreadable, vanishing
and looping files; `--stdin-filename`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.conftest import LEGACY_CALLER, REPO, base_env
from tests.environment import file_modes_enforced_in_child

IMPORT = "from app.old_engine import OldEngine\n"


def check_json(ssot, root: Path, *extra: str, env=None, preexec_fn=None):
    run = ssot("check", "--format", "json", "--no-cache", *extra, cwd=root, env=env, preexec_fn=preexec_fn)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def skipped(document) -> dict[str, str]:
    return {e["path"]: e["message"] for e in document["errors"]}


def test_pep263_cookie_is_honoured(ssot, small):
    root = small({"app/latin.py": "# -*- coding: latin-1 -*-\n# café: 'é' is one byte here\n".encode("latin-1")
                  + IMPORT.encode()})
    document = check_json(ssot, root)
    assert [(v["path"], v["line"], v["code"]) for v in document["violations"]] == [("app/latin.py", 3, "SSOT001")]
    assert document["errors"] == []


def test_undecodable_file_is_reported_and_skipped(ssot, small):
    root = small({"app/bad.py": IMPORT.encode() + b"x = '\xff\xfe'\n",
                  "app/bad_cookie.py": b"# coding: no-such-codec\n" + IMPORT.encode(),
                  "app/user.py": LEGACY_CALLER})
    document = check_json(ssot, root)
    errors = skipped(document)
    assert "cannot decode as utf-8" in errors["app/bad.py"]
    assert "unknown encoding 'no-such-codec'" in errors["app/bad_cookie.py"]
    assert {v["path"] for v in document["violations"]} == {"app/user.py"}
    text = ssot("check", cwd=root)
    assert text.returncode == 1
    assert "app/bad.py: skipped: cannot decode as utf-8" in text.stderr


def test_nul_bytes_are_reported_not_fatal(ssot, small):
    root = small({"app/nul.py": IMPORT.encode() + b"x = 1\x00\n", "app/user.py": LEGACY_CALLER})
    document = check_json(ssot, root)
    nul = [v for v in document["violations"] if v["path"] == "app/nul.py"]
    assert [v["code"] for v in nul] == ["SSOT009"], nul
    assert "NUL" in nul[0]["message"]
    assert any(v["path"] == "app/user.py" for v in document["violations"])


def test_permission_denied(ssot, small):
    # as root (CI) the child runs without the capability to override file modes
    root = small({"app/secret.py": IMPORT, "app/user.py": LEGACY_CALLER})
    secret = root / "app" / "secret.py"
    secret.chmod(0)
    try:
        document = check_json(ssot, root, preexec_fn=file_modes_enforced_in_child())
    finally:
        secret.chmod(0o644)
    assert skipped(document)["app/secret.py"] == "permission denied"
    assert {v["path"] for v in document["violations"]} == {"app/user.py"}


def test_fifo_is_skipped_without_blocking(ssot, small):
    # stands in for an unreadable file when the tests run as root (chmod 000 does not stop root)
    root = small({"app/user.py": LEGACY_CALLER})
    os.mkfifo(root / "app" / "pipe.py")
    document = check_json(ssot, root)
    assert skipped(document)["app/pipe.py"] == "not a regular file"
    assert {v["path"] for v in document["violations"]} == {"app/user.py"}


def test_dangling_symlink_is_skipped(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    (root / "app" / "gone.py").symlink_to("does_not_exist.py")
    document = check_json(ssot, root)
    assert "app/gone.py" in skipped(document)
    assert {v["path"] for v in document["violations"]} == {"app/user.py"}


def test_directory_symlink_loop_is_not_followed(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    (root / "app" / "again").symlink_to("..", target_is_directory=True)
    (root / "app" / "self").symlink_to("self", target_is_directory=True)
    document = check_json(ssot, root)
    assert {v["path"] for v in document["violations"]} == {"app/user.py"}


def test_file_symlink_loop_is_skipped(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    (root / "app" / "loop.py").symlink_to("loop.py")
    document = check_json(ssot, root)
    assert {v["path"] for v in document["violations"]} == {"app/user.py"}
    assert "app/loop.py" in skipped(document)


@pytest.mark.parametrize("vanishing", ["app/helper.py", "app/old_engine.py"])
def test_file_vanishing_during_the_run(ssot, small, vanishing):
    """A sitecustomize hook (tests/data/vanish_hook) deletes the file after discovery, before it is read;
    the legacy module itself vanishing must not break resolution in the files that import it."""
    root = small({"app/helper.py": IMPORT, "app/user.py": LEGACY_CALLER})
    # the hook, then this checkout's package (not whatever ssot_lsp is installed)
    env = base_env(PYTHONPATH=os.pathsep.join([str(REPO / "tests" / "data" / "vanish_hook"), str(REPO)]),
                   SSOT_TEST_VANISH=vanishing)
    document = check_json(ssot, root, env=env)
    assert not (root / vanishing).exists(), "the hook ran"
    assert skipped(document) == {vanishing: "vanished during the run"}
    assert any(v["path"] == "app/user.py" for v in document["violations"])


def test_stdin_filename(ssot, small):
    root = small({"app/user.py": "x = 1\n"})
    run = ssot("check", "--stdin-filename", "app/user.py", cwd=root, input=LEGACY_CALLER)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[:2] == [
        "app/user.py:1:28: warning SSOT001 import of OldEngine from legacy module app.old_engine",
        "app/user.py:5:12: error SSOT002 construction of legacy OldEngine",
    ]
    # the disk copy is clean: stdin, not the file, was checked
    assert ssot("check", "app/user.py", cwd=root).returncode == 0
    # other formats work too, and --exit-zero
    document = json.loads(ssot("check", "--stdin-filename", "app/user.py", "--format", "json", cwd=root,
                               input=LEGACY_CALLER).stdout)
    assert [v["code"] for v in document["violations"]] == ["SSOT001", "SSOT002"]
    assert ssot("check", "--stdin-filename", "app/user.py", "--exit-zero", cwd=root, input=LEGACY_CALLER).returncode == 0
    # a file that does not exist yet (an unsaved buffer)
    run = ssot("check", "--stdin-filename", "app/new_module.py", "--no-summary", cwd=root, input=IMPORT)
    assert run.returncode == 1 and run.stdout.startswith("app/new_module.py:1:28: warning SSOT001")


def test_stdin_undecodable_and_cookie(ssot, small):
    root = small()
    run = ssot("check", "--stdin-filename", "app/x.py", cwd=root, input=b"x = '\xff'\n")
    assert run.returncode == 0 and "skipped: cannot decode" in run.stderr
    latin = "# coding: latin-1\n# é\n".encode("latin-1") + IMPORT.encode()
    run = ssot("check", "--stdin-filename", "app/x.py", "--no-summary", cwd=root, input=latin)
    assert run.returncode == 1 and run.stdout.startswith("app/x.py:3:28: warning SSOT001")
