"""``minimal_edits``: the edits reproduce the new text exactly, and stay small on big files whose
lines repeat (the patience matching that replaced difflib over whole files)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ssot_lsp.fixes.text_edits import changed_blocks, minimal_edits


def apply(old: str, edits) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        old = old[:start] + replacement + old[end:]
    return old


LINES = st.lists(st.sampled_from(["\n", "    return result\n", "x = 1\n", "def f():\n", "    pass\n",
                                  "import os\n", "y = f(2)\n", "# comment\n"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(LINES, LINES)
def test_edits_reproduce_the_new_text_for_files_of_repeated_lines(a, b):
    old, new = "".join(a), "".join(b)
    assert apply(old, minimal_edits(old, new)) == new


@settings(max_examples=300, deadline=None)
@given(LINES, st.data())
def test_blocks_are_ordered_and_disjoint(a, data):
    b = list(a)
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(b)))
        b[at:at + data.draw(st.integers(0, 2))] = data.draw(LINES)[:3]
    blocks = changed_blocks(a, b)
    assert all(x[1] <= y[0] and x[3] <= y[2] for x, y in zip(blocks, blocks[1:]))
    assert apply("".join(a), minimal_edits("".join(a), "".join(b))) == "".join(b)


def big_file(lines: int) -> str:
    out = ["import logging", "from legacy import ExecutionEngine", ""]
    i = 0
    while len(out) < lines:
        out += ["", f"async def handler_{i}(registry, ctx):", "    data = {}", "    result = await registry.run(data)",
                "    return result"]
        i += 1
    out += ["", "async def main(registry, ctx):", "    return ExecutionEngine(registry, user_context=ctx)", ""]
    return "\n".join(out)


def test_a_fix_at_both_ends_of_a_big_file_gives_two_small_edits():
    old = big_file(4000)
    new = old.replace("from legacy import ExecutionEngine", "from factory import get_factory").replace(
        "return ExecutionEngine(registry, user_context=ctx)", "return await (await get_factory()).create(ctx)")
    edits = minimal_edits(old, new)
    assert apply(old, edits) == new
    assert len(edits) <= 4 and sum(end - start + len(text) for start, end, text in edits) < 200


def test_an_inserted_import_line_is_one_insertion():
    old = big_file(500)
    new = old.replace("import logging\n", "import logging\nfrom factory import get_factory\n", 1)
    assert minimal_edits(old, new) == [(len("import logging\n"), len("import logging\n"),
                                        "from factory import get_factory\n")]
