"""PEP 263: which encoding a source file is read with (``core/text.detect_encoding``)."""

from __future__ import annotations

import codecs

import pytest

from ssot_lsp.core.text import UndecodableSource, decode_source, detect_encoding


@pytest.mark.parametrize("data,expected", [
    (b"", "utf-8"),
    (b"x = 1", "utf-8"),
    (b"# -*- coding: latin-1 -*-", "iso8859-1"),
    (b"# -*- coding: latin-1 -*-\nx = 1\n", "iso8859-1"),
    (b"#!/usr/bin/env python\n# coding: cp1252\nx = 1\n", "cp1252"),
    (b"#!/usr/bin/env python\n# coding: cp1252", "cp1252"),
    (b"\n# coding=latin-1\n", "iso8859-1"),
])
def test_a_cookie_on_the_first_two_lines_names_the_encoding(data, expected):
    assert detect_encoding(data) == expected


@pytest.mark.parametrize("data", [
    b"#!/usr/bin/env python\n\n# coding: cp1252\n",  # third line
    b"x = 1\n# coding: cp1252\n",  # after code
])
def test_a_cookie_elsewhere_is_no_cookie(data):
    assert detect_encoding(data) == "utf-8"


def test_a_bom_wins_and_is_dropped():
    text, encoding = decode_source(codecs.BOM_UTF8 + "x = 'é'\n".encode())
    assert (text, encoding) == ("x = 'é'\n", "utf-8-sig")


def test_an_unknown_cookie_is_a_clear_error():
    with pytest.raises(UndecodableSource, match="unknown encoding 'no-such-codec'"):
        detect_encoding(b"# coding: no-such-codec\n")
