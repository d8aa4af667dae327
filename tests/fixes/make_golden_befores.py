"""Writes the `before.py` of every golden case (run once; `after.py` is recorded, then reviewed)."""
from pathlib import Path

EE = "netra_backend.app.agents.supervisor.execution_engine"
RS = "netra_backend.app.agents.supervisor.request_scoped_execution_engine"
UE = "netra_backend.app.agents.supervisor.user_execution_engine"
FAC = "netra_backend.app.agents.supervisor.execution_engine_factory"

CASES = {
"simple_import_annotation_safe": f"from {EE} import ExecutionEngine\n\n\ndef run(e: ExecutionEngine) -> None:\n    pass\n",
"unused_legacy_import_safe": f"import os\nfrom {EE} import ExecutionEngine\n\nprint(os.name)\n",
"multi_name_import_keeps_others_safe": f"from {EE} import ExecutionEngine, logger\n\n\ndef f(e: ExecutionEngine):\n    logger.info('x')\n",
"extend_existing_canonical_safe": f"from {UE} import logger\nfrom {EE} import ExecutionEngine\n\n\ndef f(e: ExecutionEngine):\n    return logger\n",
"canonical_already_imported_safe": f"from {UE} import UserExecutionEngine\nfrom {EE} import ExecutionEngine\n\n\ndef f(a: UserExecutionEngine, b: ExecutionEngine):\n    return a, b\n",
"alias_import_safe": f"from {EE} import ExecutionEngine as Engine\n\n\ndef f(e: Engine) -> Engine:\n    return e\n",
"relative_import_safe": "from ..agents.supervisor.execution_engine import ExecutionEngine\n\n\ndef f(e: ExecutionEngine):\n    return e\n",
"parenthesised_with_comments_safe": f"from {EE} import (  # legacy names\n    ExecutionEngine,  # the old one\n    logger,  # keep me\n)\n\n\ndef f(e: ExecutionEngine):\n    return logger\n",
"parenthesised_last_name_safe": f"from {EE} import (\n    logger,\n    ExecutionEngine\n)\n\n\ndef f(e: ExecutionEngine):\n    return logger\n",
"import_in_function_safe": f"def f(x):\n    from {EE} import ExecutionEngine\n\n    y: ExecutionEngine = x\n    return y\n",
"type_checking_import_safe": f"from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from {EE} import ExecutionEngine\n\n\ndef f(e: \"ExecutionEngine\") -> None:\n    pass\n",
"type_checking_only_stmt_safe": f"from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from {EE} import ExecutionEngine\n\nX = 1\n",
"string_annotation_nested_safe": f"from typing import Optional\n\nfrom {EE} import ExecutionEngine\n\n\ndef f(e: \"Optional[ExecutionEngine]\") -> \"ExecutionEngine\":\n    return e\n",
"isinstance_unsafe": f"from {EE} import ExecutionEngine\n\n\ndef is_engine(x):\n    return isinstance(x, ExecutionEngine)\n",
"isinstance_tuple_unsafe": f"from {EE} import ExecutionEngine\n\n\ndef is_engine(x):\n    return isinstance(x, (int, ExecutionEngine))\n",
"issubclass_unsafe": f"from {EE} import ExecutionEngine\n\n\ndef is_engine(x):\n    return issubclass(x, ExecutionEngine)\n",
"mock_spec_unsafe": f"from unittest.mock import Mock\n\nfrom {EE} import ExecutionEngine\n\nm = Mock(spec=ExecutionEngine)\n",
"mock_positional_spec_unsafe": f"from unittest.mock import MagicMock\n\nfrom {EE} import ExecutionEngine\n\nm = MagicMock(ExecutionEngine)\n",
"patch_object_class_unsafe": f"from unittest.mock import patch\n\nfrom {EE} import ExecutionEngine\n\n\ndef test():\n    with patch.object(ExecutionEngine, 'execute_agent'):\n        pass\n",
"module_alias_import_unsafe": f"import {EE} as ee\n\n\ndef f(e: ee.ExecutionEngine):\n    return isinstance(e, ee.ExecutionEngine)\n",
"module_alias_construction_unsafe": f"import {EE} as ee\n\n\nasync def f(r, b, ctx):\n    return ee.ExecutionEngine(r, b, user_context=ctx)\n",
"construction_keyword_ctx": f"from {EE} import ExecutionEngine\n\n\nasync def run(registry, websocket_bridge, ctx):\n    engine = ExecutionEngine(registry, websocket_bridge, user_context=ctx)\n    return await engine.execute_agent('a', {{}})\n",
"construction_positional_ctx": f"from {EE} import ExecutionEngine\n\n\nasync def run(registry, websocket_bridge, ctx):\n    engine = ExecutionEngine(registry, websocket_bridge, ctx)\n    return engine\n",
"request_scoped_first_arg": f"from {RS} import RequestScopedExecutionEngine\n\n\nasync def run(registry, bridge, ctx):\n    return RequestScopedExecutionEngine(ctx, registry, bridge, max_concurrent_executions=2)\n",
"compat_awaited": f"from {UE} import UserExecutionEngine\n\n\nasync def run(registry, bridge, ctx):\n    engine = await UserExecutionEngine.create_from_legacy(registry, bridge, user_context=ctx)\n    return engine\n",
"async_with_scope": f"from {EE} import ExecutionEngine\n\n\nasync def run(registry, bridge, ctx):\n    async with ExecutionEngine(registry, bridge, user_context=ctx) as engine:\n        return await engine.execute_agent('a', {{}})\n",
"construction_then_method_parens": f"from {EE} import ExecutionEngine\n\n\nasync def run(registry, bridge, ctx):\n    return await ExecutionEngine(registry, bridge, user_context=ctx).execute_agent('a', {{}})\n",
"construction_multiline_comments": f"from {EE} import ExecutionEngine\n\n\nasync def run(registry, bridge, ctx):\n    engine = ExecutionEngine(\n        registry,  # shared registry\n        bridge,\n        user_context=ctx,  # the user\n    )\n    return engine\n",
"construction_ctx_attribute": f"from {EE} import ExecutionEngine\n\n\nasync def run(request, state):\n    return ExecutionEngine(state.agent_registry, state.websocket_bridge, user_context=request.state.user_context)\n",
"two_constructions_one_stmt": f"from {EE} import ExecutionEngine\n\n\nasync def run(r, b, c1, c2):\n    return [ExecutionEngine(r, b, user_context=c1), ExecutionEngine(r, b, user_context=c2)]\n",
"factory_import_extends_existing": f"from {FAC} import ExecutionEngineFactory\nfrom {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx) -> ExecutionEngineFactory:\n    return ExecutionEngine(r, b, user_context=ctx)\n",
"factory_already_imported": f"from {FAC} import get_execution_engine_factory\nfrom {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx):\n    f = get_execution_engine_factory\n    return ExecutionEngine(r, b, user_context=ctx), f\n",
"docstring_only_header": f'"""Module doc."""\n\n\nasync def run(r, b, ctx):\n    from {EE} import ExecutionEngine\n\n    return ExecutionEngine(r, b, user_context=ctx)\n',
"import_and_annotation_and_construction": f"from {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx) -> ExecutionEngine:\n    engine: ExecutionEngine = ExecutionEngine(r, b, user_context=ctx)\n    return engine\n",
"crlf_line_endings": f"from {EE} import ExecutionEngine\r\n\r\n\r\nasync def run(r, b, ctx):\r\n    return ExecutionEngine(r, b, user_context=ctx)\r\n",
"tabs_indentation": f"from {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx):\n\tif ctx:\n\t\treturn ExecutionEngine(r, b, user_context=ctx)\n",
"non_ascii_identifiers": f"from {EE} import ExecutionEngine\n\n\nasync def lancer(r, b, contexte_é):\n    moteur_ü = ExecutionEngine(r, b, user_context=contexte_é)\n    return moteur_ü\n",
"emoji_before_edit_same_line": f"from {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx):\n    label = '🚀🚀'; engine = ExecutionEngine(r, b, user_context=ctx)\n    return label, engine\n",
"non_ascii_string_before": f"from {EE} import ExecutionEngine\n\n\ndef f(e: ExecutionEngine, s='日本語'):\n    return s + '✓'\n",
"patch_string_target": f"from unittest import mock\n\n\ndef test():\n    with mock.patch('{EE}.ExecutionEngine') as cls:\n        return cls\n",
"patch_decorator_single_quotes": f"from unittest.mock import patch\n\n\n@patch('{EE}.ExecutionEngine')\ndef test(cls):\n    return cls\n",
"patch_object_module": f"from unittest.mock import patch\n\nfrom netra_backend.app.agents.supervisor import execution_engine as eem\n\n\ndef test():\n    with patch.object(eem, 'ExecutionEngine') as cls:\n        return cls\n",
"import_module_string": f"import importlib\n\n\ndef load():\n    return importlib.import_module('{RS}')\n",
"patch_method_target": f"from unittest.mock import patch\n\n\n@patch('{EE}.ExecutionEngine.execute_agent')\ndef test(m):\n    return m\n",
"alias_legacy_under_canonical_name_safe": f"from {EE} import ExecutionEngine as UserExecutionEngine\n\n\ndef f(e: UserExecutionEngine):\n    return e\n",
"alias_canonical_under_legacy_name_safe": f"from {UE} import UserExecutionEngine as ExecutionEngine\n\n\ndef f(e: ExecutionEngine):\n    return e\n",
"alias_assignment_safe": f"from {UE} import UserExecutionEngine\n\nExecutionEngine = UserExecutionEngine\n\n\ndef f(e: ExecutionEngine):\n    return e\n",
"all_entry_rewritten": f"from {EE} import ExecutionEngine\n\n\ndef f(e: ExecutionEngine):\n    return e\n\n\n__all__ = ['ExecutionEngine', 'f']\n",
"semicolon_import_line_safe": f"import os; from {EE} import ExecutionEngine\n\n\ndef f(e: ExecutionEngine):\n    return os.sep\n",
"import_with_trailing_comment_safe": f"from {EE} import ExecutionEngine  # TODO remove\n\n\ndef f(e: ExecutionEngine):\n    return e\n",
"multiline_construction_in_call_arg": f"from {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx, pool):\n    return pool.submit(\n        ExecutionEngine(r, b, user_context=ctx),\n        priority=1,\n    )\n",
"no_trailing_newline": f"from {EE} import ExecutionEngine\n\n\nasync def run(r, b, ctx):\n    return ExecutionEngine(r, b, user_context=ctx)",
"latin_text_with_cookie": f"# -*- coding: latin-1 -*-\nfrom {EE} import ExecutionEngine\n\nNAME = 'café'\n\n\ndef f(e: ExecutionEngine):\n    return NAME\n",
"class_method_annotation_safe": f"from {EE} import ExecutionEngine\n\n\nclass Holder:\n    engine: ExecutionEngine\n\n    def get(self) -> 'ExecutionEngine':\n        return self.engine\n",
}

root = Path(__file__).parent / "golden"
for i, (name, before) in enumerate(CASES.items(), 1):
    d = root / f"{i:03d}_{name}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "before.py").write_bytes(before.encode("utf-8"))
print(len(CASES))
