"""How the workspace scan reads files: every byte of a regular file, nothing that is not one."""

from __future__ import annotations

import os
import threading

import pytest

from ssot_lsp.core import reading as workspace_module
from ssot_lsp.core.reading import _read_regular_file


def test_a_file_that_grew_since_its_size_was_taken_is_read_to_the_end(tmp_path, monkeypatch):
    path = tmp_path / "growing.py"
    content = b"x = 1\n" * 50_000
    path.write_bytes(content)
    real_fstat = os.fstat

    class Shrunk:  # what fstat said before the file grew to its present size
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(workspace_module.os, "fstat", lambda fd: Shrunk(real_fstat(fd)))
    info, data = _read_regular_file(str(path), max_bytes=10 << 20)
    assert data == content


def test_a_file_larger_than_the_limit_is_not_read(tmp_path):
    path = tmp_path / "big.py"
    path.write_bytes(b"#" * 4096)
    info, data = _read_regular_file(str(path), max_bytes=1024)
    assert data is None and info.st_size == 4096


def test_opening_a_fifo_does_not_wait_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    result = {}
    reader = threading.Thread(target=lambda: result.update(out=_read_regular_file(str(fifo), 1 << 20)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    info, data = result["out"]
    assert data is None  # not a regular file


@pytest.mark.parametrize("star", ["from app.engines import *\n", "from app.engines import \\\n    *\n",
                                  "from app.engines import \\\r\n    *\r\n", "import os; from app.engines import *\n"])
def test_a_file_with_a_star_import_passes_the_prefilter_without_any_needle(star):
    from ssot_lsp.core.reading import facts_of_bytes

    text = '"""Nothing here names a group."""\n\n' + star + "\n\ndef run():\n    return make()\n"
    outcome = facts_of_bytes(text.encode(), "/ws/app/runner.py", "app.runner", False, needles={"LegacyEngine"})
    assert not isinstance(outcome, str), "a star import binds names no needle spells: the file must be read"


def test_a_file_without_needles_or_star_imports_is_skipped_with_its_import_lines():
    from ssot_lsp.core.reading import facts_of_bytes

    text = "import os\nfrom app.engines import make  # not a star: 2 * 3\n\nx = 2 * 3\n"
    outcome = facts_of_bytes(text.encode(), "/ws/app/runner.py", "app.runner", False, needles={"LegacyEngine"})
    assert outcome == "import os\nfrom app.engines import make  # not a star: 2 * 3"


@pytest.mark.parametrize("directive", ["# ssot: ignore", "# SsOt: IgNoRe[SSOT001]", "#SSOT:ignore-file",
                                       "# noqa: SSOT001", "# NoQa: F401, ssot002", "# NOQA:SSOT011"])
def test_a_file_whose_only_mention_is_a_directive_in_any_case_passes_the_prefilter(directive):
    from ssot_lsp.core.reading import facts_of_bytes

    text = f"import os\n\nx = os.sep  {directive}\n"
    outcome = facts_of_bytes(text.encode(), "/ws/app/runner.py", "app.runner", False, needles={"LegacyEngine"})
    assert not isinstance(outcome, str), "a directive must be seen to be reported unused: the file must be read"


@pytest.mark.parametrize(("text", "expected"), [
    ("import os\n", "import os"),
    ("from a import (\n    b,\n    c)\nimport e\n", "from a import (\n    b,\n    c\nimport e"),
    ("from a import b, \\\n    c\r\nx = 1\nimport f \\\r\n  , g\n", "from a import b, \\\n    c\r\nimport f \\\r\n  , g"),
    ("def f():\n    import json; return json  # import\nx = 'important'\n",
     "    import json; return json  # import\nx = 'important'"),
    ("import a\n# ssot: someday, not a directive\nimport b  # noqa: F401\n", "import a\nimport b  # noqa: F401"),
    ("x = 1\n", ""),
])
def test_a_skipped_file_keeps_exactly_the_lines_of_its_imports(text, expected):
    from ssot_lsp.core.prefilter import import_lines, skipped_import_lines

    data = text.encode()
    assert skipped_import_lines(data) == import_lines(data) == expected


@pytest.mark.parametrize("text", [
    "import os\n", "importimport x\nfrom a import (\n    b,\n    c)\n", "# ssot:import x\nnoqaimport = 1\n",
    "from a import b, \\\n    c\r\nx = 1\nimport f \\\r\n  , g  # NOQA: SSOT001 import\n",
    "def f():\n    import json; return json  # import\nx = 'important'\nSSOT: import y\n", "x = 1\n", "",
    "x = 1  # noqa: SSOT001\nimport a  # ssot: ignore\ny = 2  # SSOT: sometime\n"])
def test_an_analysed_file_s_import_words_are_the_identifiers_of_all_its_import_lines(text):
    import re

    from ssot_lsp.core.prefilter import import_lines, import_words

    data = text.encode()
    assert import_words(data) == frozenset(re.findall(r"[^\W\d]\w*", import_lines(data)))
