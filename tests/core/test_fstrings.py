"""Masking 3.12 f-strings: the fast lexer must mask exactly what libcst masks, or give way to it."""

from __future__ import annotations

import ast

import pytest

from ssot_lsp.core import fstrings

# each case uses 3.12-only f-string syntax somewhere (so ast.parse fails before 3.12) or guards a
# lexer corner (strings, comments and prefixes around the f-strings)
CASES = {
    "reused_quotes": 'x = f"{d["key"]}"\n',
    "nested_fstrings": 'x = f"{f"{f"{a}"}"}" + "plain # not a comment"\n',
    "format_spec_with_field": 'x = f"{value:{width}.{precision}f} {d["k"]!r:>10}"\n',
    "not_equal_and_dict": 'x = f"{a != b} {({"k": 1})["k"]} {items[1:2]}"\n',
    "escaped_braces": 'x = f"{{literal}} {d["a"]} }}"\n',
    "named_escape": 'x = f"\\N{EM DASH} {d["a"]}"\n',
    "raw_fstring": 'x = rf"\\d+ {d["a"]}" + Rb"\\x" + FR\'{y}\'\n',
    "triple_quoted_multiline": 'x = f"""first {d["a"]}\nsecond {\n    b  # a comment in the field\n}\nthird"""\n',
    "keyword_before_string": 'if x:\n    pass\nelif"s" in y:\n    z = f"{d["a"]}"\n',
    "comment_with_quotes": '# it\'s "quoted" f"{x}"\nx = f"{d["a"]}"  # done\n',
    "crlf": 'x = f"{d["a"]}"\r\ny = f"""a\r\n{b}\r\nc"""\r\n',
    "strings_with_hashes": 's = "#" + \'#\' + """#\n"""\nx = f"{d["#"]}"\n',
    "concatenated": 'x = (f"{d["a"]}"\n     "tail" f\'{b}\')\n',
    "self_documenting": 'x = f"{a=} {b = !r} {c=:>4}"\nz = f"{d["a"]}"\n',
    "line_continuation": 'x = 1 + \\\n    2\ny = f"{d["a"]}"\n',
    "lambda_in_parens": 'x = f"{(lambda v: v)(d["a"])}"\n',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_lexer_masks_what_libcst_masks(name):
    text = CASES[name]
    by_libcst = fstrings._mask_with_libcst(text)
    assert by_libcst is not None
    assert fstrings._mask(text, fstrings._fstring_spans(text)) == by_libcst


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_masked_text_parses_and_keeps_its_shape(name):
    text = CASES[name]
    masked = fstrings.mask_new_fstrings(text)
    assert masked is not None
    ast.parse(masked)
    assert [len(line) for line in masked.splitlines()] == [len(line) for line in text.splitlines()]


def test_a_backslash_before_a_brace_is_left_to_libcst():
    with pytest.raises(fstrings._Unsure):
        fstrings._fstring_spans('x = f"\\{d["a"]}"\n')


def test_a_file_with_a_real_syntax_error_is_not_masked_into_parsing():
    assert fstrings.mask_new_fstrings('x = f"{d["a"]}"\ndef broken(:\n') is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_masked_tree_is_the_tree_of_the_masked_text(name):
    text = CASES[name]
    masked, tree = fstrings.masked_tree(text)
    assert masked == fstrings.mask_new_fstrings(text)
    assert ast.dump(tree, include_attributes=True) == ast.dump(ast.parse(masked), include_attributes=True)


def test_a_file_with_a_real_syntax_error_has_no_masked_tree():
    assert fstrings.masked_tree('x = f"{d["a"]}"\ndef broken(:\n') is None
