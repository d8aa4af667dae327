"""The few small edits that turn a document into its fixed text (what an editor applies).

A fix changes a handful of statements in a file of thousands of lines. ``difflib`` over all the
lines cost ~85 ms on a 4,000-line file (its longest-match search is quadratic in repeated lines
such as blank ones), half of a quick fix's budget. Here the lines are matched the patience way:
common prefix and suffix first, then lines that occur exactly once on both sides as anchors (their
longest increasing run), recursively inside the gaps; only a gap small enough is handed to
``difflib``. Each changed line block is then narrowed to the characters that differ.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter

Edit = tuple[int, int, str]  # (start, end, replacement): code-point offsets in the old text

SMALL_GAP = 4_000  # len(a) * len(b) of a gap difflib may match line by line


def minimal_edits(old: str, new: str) -> list[Edit]:
    """(start, end, replacement) code-point offsets in ``old``: lines first, then characters."""
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits: list[Edit] = []
    for i1, i2, j1, j2 in changed_blocks(old_lines, new_lines):
        a = "".join(old_lines[i1:i2])
        b = "".join(new_lines[j1:j2])
        base = starts[i1]
        if a and b and len(a) + len(b) < 20000:
            edits += _character_edits(a, b, base)
        else:
            edits.append((base, base + len(a), b))
    return _merge_close(edits, old)


def changed_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Blocks ``a[i1:i2]`` replaced by ``b[j1:j2]`` (one of them may be empty), in order."""
    blocks: list[tuple[int, int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        i1, i2, j1, j2 = stack.pop()
        while i1 < i2 and j1 < j2 and a[i1] == b[j1]:
            i1, j1 = i1 + 1, j1 + 1
        while i1 < i2 and j1 < j2 and a[i2 - 1] == b[j2 - 1]:
            i2, j2 = i2 - 1, j2 - 1
        if i1 == i2 and j1 == j2:
            continue
        if i1 == i2 or j1 == j2:
            blocks.append((i1, i2, j1, j2))
            continue
        anchors = _unique_anchors(a, i1, i2, b, j1, j2)
        if not anchors:
            blocks += _small_gap(a, i1, i2, b, j1, j2)
            continue
        # the gaps between anchors, pushed in reverse so that they pop in order
        gaps = []
        pi, pj = i1, j1
        for ai, bj in anchors:
            gaps.append((pi, ai, pj, bj))
            pi, pj = ai + 1, bj + 1
        gaps.append((pi, i2, pj, j2))
        stack += reversed(gaps)
    blocks.sort()
    return blocks


def _unique_anchors(a: list[str], i1: int, i2: int, b: list[str], j1: int, j2: int) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines occurring once in a[i1:i2] and once in b[j1:j2], equal, forming the
    longest run increasing on both sides."""
    count_a = Counter(a[i1:i2])
    count_b = Counter(b[j1:j2])
    where_b = {b[j]: j for j in range(j1, j2) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(i1, i2) if count_a[a[i]] == 1 and a[i] in where_b]
    if not pairs:
        return []
    # longest increasing subsequence of the j's (patience sorting)
    tails: list[int] = []  # j value ending the best run of each length
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
        previous[k] = tail_index[pos - 1] if pos else -1
    run = []
    k = tail_index[-1]
    while k >= 0:
        run.append(pairs[k])
        k = previous[k]
    return run[::-1]


def _small_gap(a: list[str], i1: int, i2: int, b: list[str], j1: int, j2: int) -> list[tuple[int, int, int, int]]:
    if (i2 - i1) * (j2 - j1) > SMALL_GAP:
        return [(i1, i2, j1, j2)]
    matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    return [(i1 + x1, i1 + x2, j1 + y1, j1 + y2) for tag, x1, x2, y1, y2 in matcher.get_opcodes() if tag != "equal"]


def _character_edits(a: str, b: str, base: int) -> list[Edit]:
    """The characters that differ between two changed line blocks (common ends trimmed first)."""
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    a_mid, b_mid = a[head:len(a) - tail], b[head:len(b) - tail]
    start = base + head
    if not a_mid or not b_mid or len(a_mid) * len(b_mid) > 250_000:
        return [(start, start + len(a_mid), b_mid)]
    inner = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    return [(start + a1, start + a2, b_mid[b1:b2]) for t2, a1, a2, b1, b2 in inner.get_opcodes() if t2 != "equal"]


def _merge_close(edits: list[Edit], old: str) -> list[Edit]:
    """Merge character edits separated by a few unchanged characters (fewer, more readable edits)."""
    merged: list[list[int | str]] = []
    for start, end, text in edits:
        if merged and start - int(merged[-1][1]) <= 2:
            gap = old[int(merged[-1][1]):start]
            merged[-1][1] = end
            merged[-1][2] = str(merged[-1][2]) + gap + text
        else:
            merged.append([start, end, text])
    return [(int(m[0]), int(m[1]), str(m[2])) for m in merged]
