"""Record `after.py` for golden cases that have none (review the diff before committing).

A recorded file only pins today's output. Each case also needs an `expect.toml` written by hand
(what must change; see tests/fixes/test_golden.py): it is never recorded from the output."""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import GOLDEN, Workbench, build_tree  # noqa: E402

bench = Workbench(build_tree(Path(tempfile.mkdtemp())))
for case in sorted(GOLDEN.iterdir()):
    before = (case / "before.py").read_bytes().decode("utf-8")
    unsafe = not case.name.endswith("_safe")
    result = bench.fix(before, unsafe=unsafe, name=case.name[4:])
    after = case / "after.py"
    if not after.exists() or "--force" in sys.argv:
        after.write_bytes(result.new_text.encode("utf-8"))
    left = [(o.violation.code, o.reason) for o in result.unfixable if o.violation.code in ("SSOT001","SSOT002","SSOT007","SSOT008")]
    print(case.name, "CHANGED" if result.new_text != before else "same", left)
