"""Test hook (tests/cli/test_inputs.py): delete a file just before ssot-lsp reads it.

Put this directory on PYTHONPATH and name the file's path suffix in SSOT_TEST_VANISH; the
installed `ssot-lsp` then sees the file during discovery, and it is gone when it is read.
"""

import os

_target = os.environ.get("SSOT_TEST_VANISH")
if _target:
    import ssot_lsp.core.reading as _workspace

    _original = _workspace.read_facts

    def _vanishing_read_facts(path, *args, **kwargs):
        if str(path).endswith(_target) and os.path.lexists(path):
            os.unlink(path)
        return _original(path, *args, **kwargs)

    _workspace.read_facts = _vanishing_read_facts
