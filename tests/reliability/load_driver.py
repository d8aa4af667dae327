"""The load scenario shared by tests/reliability/test_server_load.py and benchmarks/bench_load.py.

20 open documents of the demo workspace; N incremental didChange notifications whose ranges
include non-BMP characters, sent without waiting, interleaved with codeAction, hover and
diagnostic requests. A client-side model keeps the expected text of every document.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

from ssot_lsp.core.text import cp_to_utf16, split_lines

MAX_OURS = 12  # inserted lines per document at most
WIDE = ["\U0001f600", "\U00010348", "\U0001f680", "\u4e2d", "é", "\U0001d11e"]
SAFE_ANCHOR = re.compile(r"(import |from |class |def |async def |@)")
LOAD_LINE = re.compile(r'^_load\d+ = "[^"]*"  # .*$')
LEGACY_LINE = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # \U0001f600 load"
# the legacy line after edits replaced its comment: still one of ours (else it could never be deleted
# again, another one was inserted, and the documents grew without bound)
LEGACY_EDITED = re.compile(re.escape(LEGACY_LINE[:LEGACY_LINE.index("#") + 2]) + r".* load$")


@dataclass
class Doc:
    uri: str
    relpath: str
    text: str
    version: int = 1


@dataclass
class LoadStats:
    changes: int = 0
    requests: int = 0
    answered: int = 0
    failures: list = field(default_factory=list)
    send_seconds: float = 0.0
    total_seconds: float = 0.0


def pick_documents(demo: Path, count: int = 20) -> list[Doc]:
    paths = sorted(p for p in demo.rglob("*.py") if ".ssot-cache" not in p.parts and p.name != "broken_agent.py")
    # files with findings first, then the rest: all parse, so the final texts have exact diagnostics
    paths.sort(key=lambda p: (p.stat().st_size < 300, str(p)))
    return [Doc(p.as_uri(), p.relative_to(demo).as_posix(), p.read_text(encoding="utf-8")) for p in paths[:count]]


def _utf16(lines: list[str], line: int, col: int) -> types.Position:
    content = lines[line] if line < len(lines) else ""
    return types.Position(line=line, character=cp_to_utf16(content, col))


def next_edit(doc: Doc, rng: random.Random, serial: int):
    """(range, new_text) of a random edit that keeps the document parseable; applied to the model."""
    lines = split_lines(doc.text)
    ours = [i for i, line in enumerate(lines) if LOAD_LINE.match(line) or LEGACY_EDITED.match(line)]
    roll = rng.random()
    if len(ours) >= MAX_OURS and roll >= 0.45:
        roll = 0.5  # steady state: documents stop growing, so memory figures measure the server, not the texts
    if ours and roll < 0.45:  # replace a range inside the string: both ends next to non-BMP characters
        i = rng.choice(ours)
        line = lines[i]
        if LEGACY_EDITED.match(line):
            start = line.index("#") + 2
            end = len(line)
            new = "".join(rng.choice(WIDE) for _ in range(rng.randint(0, 3))) + " load"
        else:
            start = line.index('"') + 1
            end = line.index('"', start)
            new = "".join(rng.choice(WIDE) for _ in range(rng.randint(0, 6)))
        rng_ = types.Range(start=_utf16(lines, i, start), end=_utf16(lines, i, end))
    elif ours and roll < 0.65:  # delete one of our lines (range spans the line break)
        i = rng.choice(ours)
        rng_ = types.Range(start=types.Position(line=i, character=0), end=types.Position(line=i + 1, character=0))
        new = ""
    else:  # insert a line before a top-level statement
        anchors = [i for i, line in enumerate(lines)
                   if SAFE_ANCHOR.match(line) and not (i and lines[i - 1].startswith("@"))] or [len(lines) - 1]
        i = rng.choice(anchors)
        if rng.random() < 0.1 and not any(LEGACY_EDITED.match(lines[j]) for j in ours):
            new = LEGACY_LINE + "\n"
        else:
            wide = "".join(rng.choice(WIDE) for _ in range(rng.randint(1, 5)))
            new = f'_load{serial} = "{wide}"  # {rng.choice(WIDE)}\n'
        rng_ = types.Range(start=types.Position(line=i, character=0), end=types.Position(line=i, character=0))
    # apply to the model (code points)
    from ssot_lsp.core.text import line_offsets, utf16_to_cp

    offsets = line_offsets(doc.text)

    def offset(pos: types.Position) -> int:
        if pos.line >= len(offsets):
            return len(doc.text)
        return offsets[pos.line] + utf16_to_cp(lines[pos.line], pos.character)

    a, b = offset(rng_.start), offset(rng_.end)
    doc.text = doc.text[:a] + new + doc.text[b:]
    doc.version += 1
    return rng_, new


async def run_load(client, docs: list[Doc], changes: int, seed: int = 759, request_every: int = 20,
                   on_tick=None) -> LoadStats:
    rng = random.Random(seed)
    stats = LoadStats()
    for doc in docs:
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=doc.uri, language_id="python", version=doc.version, text=doc.text)))
    pending: list[asyncio.Future] = []
    start = time.perf_counter()
    for serial in range(changes):
        doc = rng.choice(docs)
        rng_, new = next_edit(doc, rng, serial)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            content_changes=[types.TextDocumentContentChangePartial(range=rng_, text=new)]))
        stats.changes += 1
        if serial % request_every == 0:
            target = rng.choice(docs)
            lines = split_lines(target.text)
            line = rng.randrange(len(lines))
            pos = _utf16(lines, line, rng.randint(0, len(lines[line])))
            ident = types.TextDocumentIdentifier(uri=target.uri)
            kind = (serial // request_every) % 3
            if kind == 0:
                fut = client.text_document_code_action_async(types.CodeActionParams(
                    text_document=ident, range=types.Range(start=pos, end=pos),
                    context=types.CodeActionContext(diagnostics=[])))
            elif kind == 1:
                fut = client.text_document_hover_async(types.HoverParams(text_document=ident, position=pos))
            else:
                fut = client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
            pending.append(asyncio.ensure_future(fut))
            stats.requests += 1
        if serial % 200 == 0:
            await asyncio.sleep(0)  # let the transport flush; still as fast as the client can
            if on_tick is not None:
                on_tick(serial)
    stats.send_seconds = time.perf_counter() - start
    results = await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), timeout=600)
    for result in results:
        if isinstance(result, BaseException):
            stats.failures.append(repr(result))
        else:
            stats.answered += 1
    stats.total_seconds = time.perf_counter() - start
    return stats


def expected_diagnostics(demo: Path, docs: list[Doc]) -> dict[str, list[tuple]]:
    """The core's analysis of the final texts (all 20 buffers in the index, as the server sees them)."""
    from ssot_lsp.core.engine import analyze
    from ssot_lsp.core.facts import extract_facts
    from ssot_lsp.core.project import open_workspace

    ws = open_workspace([demo])
    result = ws.scan(jobs=1, cache=None)
    index = result.index
    all_facts = {}
    for doc in docs:
        path = demo / doc.relpath
        module, is_package = ws.module_name(path)
        facts = extract_facts(doc.text, str(path), module, is_package)
        index.add(facts)
        all_facts[doc.uri] = facts
    out = {}
    for doc in docs:
        lines = split_lines(doc.text)
        items = []
        for v in analyze(all_facts[doc.uri], index, ws.config):
            s = v.span
            items.append((v.code, s.line, cp_to_utf16(lines[s.line], s.col), s.end_line,
                          cp_to_utf16(lines[s.end_line], s.end_col), v.message))
        out[doc.uri] = sorted(items)
    return out


def as_tuples(items) -> list[tuple]:
    return sorted((str(d.code), d.range.start.line, d.range.start.character, d.range.end.line,
                   d.range.end.character, d.message) for d in items)
