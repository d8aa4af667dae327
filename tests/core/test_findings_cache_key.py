"""The key of the findings cache (``core/findings_cache.py``) beyond what the CLI tests can change:
the tool's own code, and the digest of a tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ssot_lsp.config.loader import default_config
from ssot_lsp.core import findings_cache
from ssot_lsp.core.files import WalkRecord
from ssot_lsp.core.findings_cache import FindingsCache, Tree, file_stamps, sources_digest


def _move_mtime(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


def test_a_changed_module_of_the_tool_changes_the_sources_digest(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "rule.py").write_text("X = 1\n")
    (tmp_path / "profile.toml").write_text("[x]\n")
    before = sources_digest(str(tmp_path))
    _move_mtime(tmp_path / "rules" / "rule.py")
    after_code = sources_digest(str(tmp_path))
    _move_mtime(tmp_path / "profile.toml")
    assert len({before, after_code, sources_digest(str(tmp_path))}) == 3


def test_the_sources_digest_is_part_of_the_key(tmp_path, monkeypatch):
    config = default_config(tmp_path)
    monkeypatch.setattr(findings_cache, "_PACKAGE_DIGEST", ["one"])
    first = FindingsCache.for_workspace(config, [tmp_path], 1024, True, tmp_path).file
    monkeypatch.setattr(findings_cache, "_PACKAGE_DIGEST", ["two"])
    assert FindingsCache.for_workspace(config, [tmp_path], 1024, True, tmp_path).file != first


def test_the_key_is_the_same_in_another_process(tmp_path):
    # repr-based: nothing in it may depend on hash randomisation or object identity
    import subprocess
    import sys

    code = ("from pathlib import Path; from ssot_lsp.config.loader import default_config; "
            "from ssot_lsp.core.findings_cache import FindingsCache; import sys; p = Path(sys.argv[1]); "
            "print(FindingsCache.for_workspace(default_config(p), [p], 1024, True, p).file.name)")
    names = {subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(names) == 1 and names != {""}


def tree_digest(files: list[str]) -> str:
    return Tree(files, WalkRecord([], []), file_stamps(files)).digest()


def test_the_tree_digest_follows_order_size_and_mtime(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("y = 2\n")
    files = [str(a), str(b)]
    first = tree_digest(files)
    assert tree_digest(files) == first and tree_digest(files[::-1]) != first
    _move_mtime(a)
    moved = tree_digest(files)
    a.write_text("x = 10\n")
    os.utime(a, ns=(a.stat().st_atime_ns, os.stat(str(a)).st_mtime_ns))
    assert len({first, moved, tree_digest(files)}) == 3


def test_a_walk_record_changes_with_entries_not_with_contents(tmp_path):
    from ssot_lsp.config.loader import default_config
    from ssot_lsp.core.files import WorkspaceFiles

    (tmp_path / "pkg" / "deep").mkdir(parents=True)
    (tmp_path / "pkg" / "deep" / "a.py").write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    files, record = WorkspaceFiles(default_config(tmp_path)).discover_recorded()
    assert files == [str(tmp_path / "pkg" / "deep" / "a.py")] and record.unchanged()
    (tmp_path / "pkg" / "deep" / "a.py").write_text("x = 2  # longer\n")
    assert record.unchanged(), "a file's content is the tree digest's business, not the walk's"
    (tmp_path / "pkg" / "deep" / "b.py").write_text("")
    assert not record.unchanged()
    _, record = WorkspaceFiles(default_config(tmp_path)).discover_recorded()
    (tmp_path / ".gitignore").write_text("build/\ndist/\n")
    assert not record.unchanged()


def test_a_file_made_readable_again_changes_its_stamp(tmp_path):
    a = tmp_path / "a.py"
    a.write_text("x = 1\n")
    before = file_stamps([str(a)])
    a.chmod(0o600)  # the ctime moves, the mtime and size do not
    after = file_stamps([str(a)])
    assert before[:2] == after[:2] and before != after


def test_a_stored_tree_is_stamped_again_and_keeps_its_digest_only_while_unchanged(tmp_path):
    from ssot_lsp.config.loader import default_config
    from ssot_lsp.core.files import WorkspaceFiles

    (tmp_path / "a.py").write_text("x = 1\n")
    files = WorkspaceFiles(default_config(tmp_path))
    cache = FindingsCache(tmp_path / "cache", "key")
    cache.dir.mkdir()
    first = cache.current_tree(files)
    cache.save(first, findings_cache.CachedFindings([], [], 1, 1, [], [], False))
    again = cache.current_tree(files)
    assert again.walked == first.walked and again.digest() == first.digest()
    _move_mtime(tmp_path / "a.py")
    moved = cache.current_tree(files)
    assert moved.walked == first.walked and moved.digest() != first.digest()


def test_the_rule_codes_the_configuration_knows_are_the_registry_s():
    from ssot_lsp.core.rules.codes import CODES
    from ssot_lsp.core.rules.registry import RULES

    assert CODES == tuple(RULES)


def _saved_tree(tmp_path) -> tuple[FindingsCache, Tree]:
    cache = FindingsCache(tmp_path / "cache", "key")
    cache.dir.mkdir()
    return cache, Tree([str(tmp_path / "a.py")], WalkRecord([(str(tmp_path), 1, 1)], []), [1, 2, 3])


def test_a_stored_output_comes_back_as_it_was_written(tmp_path):
    cache, tree = _saved_tree(tmp_path)
    text = "caf\u00e9 \u2014 b\udcffd.py\n\n{\"json\": \"with \\\"quotes\\\"\"}\n"  # a lone surrogate: an undecodable file name
    cache.save_output("v", tree, {"code": 1}, text)
    header, loaded = cache.load_output("v", tree)
    assert loaded == text and header["code"] == 1


def test_a_stored_output_is_only_given_for_its_tree(tmp_path):
    cache, tree = _saved_tree(tmp_path)
    cache.save_output("v", tree, {}, "report")
    assert cache.load_output("v", Tree(tree.walked, tree.record, [1, 2, 4])) is None


def test_only_the_most_recent_outputs_are_kept(tmp_path):
    cache, tree = _saved_tree(tmp_path)
    for number in range(findings_cache.OUTPUTS_KEPT + 3):
        cache.save_output(f"v{number}", tree, {}, "report")
        os.utime(cache.output_file(f"v{number}"), ns=(number * 10**9, number * 10**9))
    kept = sorted(path.name for path in cache.dir.glob("*.out-*"))
    assert len(kept) == findings_cache.OUTPUTS_KEPT and cache.output_file("v0").name not in kept


@pytest.mark.parametrize("names", [[], ["a.py"], ["caf\u00e9.py", "b\udcffd.py", "sub/c.py"]],
                         ids=["no-files", "one", "undecodable-and-non-ascii-names"])
def test_a_stored_tree_comes_back_as_it_was_written(tmp_path, names):
    from ssot_lsp.core.findings_cache import read_tree

    walked = [f"{tmp_path}/{name}" for name in names]
    stamps = [value for index in range(len(names)) for value in (index, 2**62 + index, -1)]
    tree = Tree(walked, WalkRecord([(str(tmp_path), 1, 2)], [(f"{tmp_path}/.gitignore", -1, -1)]), stamps)
    cache = FindingsCache(tmp_path / "cache", "key")
    cache.dir.mkdir()
    cache.keep_tree(tree)
    back = read_tree(cache.tree_file, str(tmp_path))
    assert back is not None and back.stored
    assert (back.walked, list(back.stamps), back.record, back.digest()) == (walked, stamps, tree.record, tree.digest())
