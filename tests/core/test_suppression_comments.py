"""The comments suppression directives are read from: lexed (a regular expression, in C) for a text
that parses, exactly the comments Python's tokenizer finds (same lines, columns, text); tokenized
for a text that does not parse, where the two can differ."""

from __future__ import annotations

import ast
import io
import os
import random
import tokenize
import warnings
from pathlib import Path

import pytest

from ssot_lsp.core.facts import extract_facts
from ssot_lsp.core.partial import statements
from ssot_lsp.core.suppressions import lexed_comments, read_suppressions, tokenized_comments
from ssot_lsp.core.text import decode_source

REPO = Path(__file__).resolve().parents[2]
STDLIB = Path(os.__file__).parent

pytestmark = pytest.mark.skipif(not statements.ENABLED, reason="Python 3.12+ tokenizes (PEP 701 f-strings)")

HARD = {
    "hash_in_strings": 'a = "# ssot: ignore"  # ssot: ignore[SSOT001]\nb = \'#\' + "#"  # noqa: SSOT002\n',
    "hash_in_triple_quoted": 'x = """\n# ssot: ignore\n\'\'\' # not\n"""  # real\ny = 1\n',
    "quotes_of_the_other_kind": "x = \"it's # here\"  # c1\ny = 'say \"#\"'  # c2\n",
    "escaped_quotes": 'x = "a \\" # b"  # c\ny = \'\\\\\'  # d\n',
    "raw_and_bytes": "x = r'\\'  # not a comment'  # c\ny = rb\"#\" b'#'  # d\n",
    "f_strings": "n = 1\nx = f\"{n:#x} # {n!r}\"  # c\ny = f'''\n# {n}\n'''  # d\n",
    "continuation_and_brackets": "x = (1,  # one\n     2)  # two\ny = 1 + \\\n    2  # three\n",
    "comment_ending_in_backslash": "x = 1  # ends \\\ny = 2  # next\n",
    "crlf": "x = 1  # a\r\ny = '#'  # b\r\n# c\r\n",
    "lone_cr": "x = 1  # a\ry = 2\r# b\r",
    "form_feed_and_tabs": "\x0c# top\nif True:\n\tx = 1  # tab\n\x0c# after feed\n",
    "indented_comments": "def f():\n    # inside\n    return 1\n        # deeper than code\n# out\n",
    "comment_only_and_no_final_newline": "# only\n#\n#   # twice",
    "non_ascii": "s = 'é # ü'  # 日本 ssot: ignore\n",
    "strings_across_continuations": "x = 'a\\\n# no' # yes\ny = \"\"\"\\\n\"\"\"  # z\n",
    "empty_strings_and_adjacent": "x = '' '' \"\" ''''''  # c\ny = \"\"\"\"\"\"  # d\n",
}


@pytest.mark.parametrize("name", sorted(HARD))
def test_lexed_comments_of_hard_cases_are_the_tokenizers(name: str):
    text = HARD[name]
    ast.parse(text)  # every case is valid Python
    assert lexed_comments(text) == tokenized_comments(text)


def _valid_python_texts():
    roots = [REPO / "ssot_lsp", REPO / "tests", REPO / "benchmarks"]
    files = [p for root in roots for p in sorted(root.rglob("*.py"))]
    files += sorted(STDLIB.glob("*.py"))
    files += [STDLIB / "test" / f"test_{name}.py" for name in
              ("grammar", "tokenize", "fstring", "string_literals", "unicode_identifiers", "eof", "syntax", "utf8source")]
    for path in files:
        try:
            text, _ = decode_source(path.read_bytes())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                warnings.simplefilter("ignore", DeprecationWarning)  # invalid escapes in old test files
                ast.parse(text)
        except (OSError, SyntaxError, ValueError):
            continue
        yield path, text


def test_lexed_comments_of_every_project_and_standard_library_file_are_the_tokenizers():
    checked = 0
    for path, text in _valid_python_texts():
        assert lexed_comments(text) == tokenized_comments(text), path
        checked += 1
    assert checked > 400


# does not parse: the string's continuation line holds no closing quote. The tokenizer ends the
# string there (an error token) and finds no comment; a lexer, finding no string, would see one
UNTERMINATED = "x = 'abc\\\ndef # ssot: ignore\ny = 1\n"


def test_a_text_that_does_not_parse_is_tokenized_not_lexed():
    assert lexed_comments(UNTERMINATED) != tokenized_comments(UNTERMINATED)  # where the two part
    assert read_suppressions(UNTERMINATED) == ([], False)
    facts = extract_facts(UNTERMINATED, "bad.py", "bad")
    assert not facts.parsed
    assert facts.suppressions == []


def test_a_file_that_parses_has_its_directives_read_from_lexed_comments():
    text = "import os  # ssot: ignore[SSOT001]\nx = '# ssot: ignore'\ny = 1  # noqa: SSOT002, F401\n"
    facts = extract_facts(text, "ok.py", "ok")
    assert facts.parsed
    assert [(s.line, s.codes, s.kind) for s in facts.suppressions] == [
        (0, frozenset({"SSOT001"}), "ssot"), (2, frozenset({"SSOT002"}), "noqa")]
    assert read_suppressions(text, parses=True) == read_suppressions(text)


def test_a_file_that_parses_is_never_tokenized(monkeypatch: pytest.MonkeyPatch):
    import tokenize

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tokenized a file that parses")

    monkeypatch.setattr(tokenize, "generate_tokens", refuse)
    facts = extract_facts("import os  # ssot: ignore\n", "ok.py", "ok")
    assert [s.line for s in facts.suppressions] == [0]


# what Python's tokenizer refuses (or reads differently), in a text that is never parsed whole
NOT_CLEAN = {
    "lone_quote": "x = 'abc\ny = 1  # ssot: ignore\n",
    "triple_quote_never_closed": "x = '''abc'  # ssot: ignore\ny = 1\n",
    "closing_bracket_never_opened": "x = 1)\ny = 2  # ssot: ignore\n",
    "bracket_open_at_the_end": "x = (1,\n  # ssot: ignore\n",
    "continuation_at_the_end": "x = 1  # ssot: ignore\ny = 2 \\\n",
    "bad_dedent": "if x:\n        a = 1\n    b = 2  # ssot: ignore\n",
    "bad_dedent_after_tabs": "if x:\n\tif y:\n\t\ta = 1\n    b = 2  # ssot: ignore\n",
    "lone_carriage_returns": "x = 1  # ssot: ignore\ry = 2\r",
}
CLEAN = {
    "tabs_as_eight_columns": "if x:\n\ty = 1\n        z = 2  # ssot: ignore\n",
    "form_feed_resets_the_column": "if x:\n    y = 1\n\x0c    z = 2  # ssot: ignore\n",
    "comment_lines_at_any_column": "if x:\n    y = 1\n  # ssot: ignore\n      # deeper\nz = 3\n",
    "continued_and_bracketed_lines": "x = (1,\n  2)  # ssot: ignore\ny = 1 + \\\n        2\nz = 3\n",
    "strings_spanning_lines": "x = '''\n  # ssot: ignore\n'''\ny = 'a\\\n b'  # ssot: ignore\n",
    "invalid_but_tokenizable": "x = = 1 $ ?  # ssot: ignore\n",
    "closed_before_opened_then_balanced": "x = 1)\n  (y  # ssot: ignore\nz = 2\n",
}


@pytest.mark.parametrize("name", sorted(NOT_CLEAN))
def test_what_the_tokenizer_refuses_or_reads_differently_is_not_clean(name: str):
    from ssot_lsp.core.suppressions import tokenizes_cleanly

    assert not tokenizes_cleanly(NOT_CLEAN[name])


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_a_clean_text_is_tokenized_without_error_into_the_lexed_comments(name: str):
    from ssot_lsp.core.suppressions import tokenizes_cleanly

    text = CLEAN[name]
    assert tokenizes_cleanly(text)
    assert list(tokenize.generate_tokens(io.StringIO(text, newline=None).readline))  # no error
    assert lexed_comments(text) == tokenized_comments(text)


def test_a_clean_text_that_is_not_known_to_parse_is_not_tokenized(monkeypatch: pytest.MonkeyPatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tokenized a clean text")

    monkeypatch.setattr(tokenize, "generate_tokens", refuse)
    found, _ = read_suppressions("import os  # ssot: ignore\nx = (1,\n     2)  # noqa: SSOT001\n")
    assert [line for line, *_ in found] == [0, 2]


def test_every_clean_mutation_of_real_files_tokenizes_into_the_lexed_comments():
    """Random cuts and edits (quotes, brackets, backslashes, line breaks, tabs, form feeds) of
    project files: whatever ``tokenizes_cleanly`` accepts, the tokenizer reads without error into
    the same comments."""
    from ssot_lsp.core.suppressions import tokenizes_cleanly

    rng = random.Random(10)
    texts = [decode_source(p.read_bytes())[0] for p in sorted((REPO / "ssot_lsp").rglob("*.py"))]
    pieces = ["'", '"', "#", "\\", "(", ")", "[", "]", "{", "}", "\n", " ", "\t", "\f", "'''", '"""', "x",
              "\\\n", "    "]
    clean = 0
    for _ in range(3000):
        lines = rng.choice(texts).split("\n")
        first = rng.randrange(len(lines))
        text = "\n".join(lines[first:first + rng.randrange(1, 30)])
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(text) + 1)
            edit = rng.random()
            if edit < 0.5:
                text = text[:at] + rng.choice(pieces) + text[at:]
            elif edit < 0.8:
                text = text[:at] + text[at + rng.randrange(1, 4):]
            else:
                text = text[:at] + rng.choice(pieces) + text[at + 1:]
        if tokenizes_cleanly(text):
            clean += 1
            assert tokenized_comments(text) == lexed_comments(text), text
            list(tokenize.generate_tokens(io.StringIO(text, newline=None).readline))  # raises if not clean
    assert 500 < clean < 2500  # both kinds were tried
