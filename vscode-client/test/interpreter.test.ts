import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyProbe,
  effectiveInterpreterSetting,
  interpreterFromPythonExtension,
  probeCommand,
  resolveInterpreter,
  serverCommand,
  startFailureMessage,
} from '../src/interpreter';

const noPython = async () => undefined;

test('setting wins over the Python extension and python3', async () => {
  let asked = false;
  const r = await resolveInterpreter({
    inspect: () => ({ globalValue: ['/opt/py/bin/python', '-X', 'utf8'] }),
    isTrusted: true,
    pythonExtensionInterpreter: async () => {
      asked = true;
      return '/venv/bin/python';
    },
  });
  assert.deepEqual(r, { command: ['/opt/py/bin/python', '-X', 'utf8'], source: 'setting' });
  assert.equal(asked, false);
});

test('workspace values beat user values when trusted', () => {
  const inspected = { globalValue: ['/g'], workspaceValue: ['/w'], workspaceFolderValue: ['/f'] };
  assert.deepEqual(effectiveInterpreterSetting(inspected, true), ['/f']);
  assert.deepEqual(effectiveInterpreterSetting({ globalValue: ['/g'], workspaceValue: ['/w'] }, true), ['/w']);
});

test('untrusted workspace: only the user-level value counts, Python extension not asked', async () => {
  let asked = false;
  const r = await resolveInterpreter({
    inspect: () => ({ workspaceValue: ['/evil/python'], workspaceFolderValue: ['/evil2'] }),
    isTrusted: false,
    pythonExtensionInterpreter: async () => {
      asked = true;
      return '/venv/bin/python';
    },
  });
  assert.deepEqual(r, { command: ['python3'], source: 'default' });
  assert.equal(asked, false);
  const r2 = await resolveInterpreter({
    inspect: () => ({ globalValue: ['/mine/python'], workspaceValue: ['/evil/python'] }),
    isTrusted: false,
    pythonExtensionInterpreter: noPython,
  });
  assert.deepEqual(r2.command, ['/mine/python']);
});

test('invalid or empty settings fall through', async () => {
  for (const bad of [[], [''], [1, 2], {}, null, '']) {
    const r = await resolveInterpreter({
      inspect: () => ({ globalValue: bad, defaultValue: [] }),
      isTrusted: true,
      pythonExtensionInterpreter: async () => '/venv/bin/python',
    });
    assert.deepEqual(r, { command: ['/venv/bin/python'], source: 'python-extension' }, JSON.stringify(bad));
  }
  // a plain string is accepted as a single executable
  assert.deepEqual(effectiveInterpreterSetting({ globalValue: '/usr/bin/python3' }, true), ['/usr/bin/python3']);
});

test('Python extension failure falls back to python3 and logs', async () => {
  const logs: string[] = [];
  const r = await resolveInterpreter({
    inspect: () => undefined,
    isTrusted: true,
    pythonExtensionInterpreter: async () => {
      throw new Error('boom');
    },
    log: (m) => logs.push(m),
  });
  assert.deepEqual(r, { command: ['python3'], source: 'default' });
  assert.match(logs[0], /boom/);
});

test('interpreterFromPythonExtension uses the environments API', async () => {
  let activated = false;
  const api = {
    environments: {
      getActiveEnvironmentPath: () => ({ id: 'x', path: '/venv' }),
      resolveEnvironment: async (env: unknown) => {
        assert.deepEqual(env, { id: 'x', path: '/venv' });
        return { executable: { uri: { fsPath: '/venv/bin/python' } } };
      },
    },
  };
  const ext = {
    isActive: false,
    exports: undefined,
    activate: async () => {
      activated = true;
      return api;
    },
  };
  assert.equal(await interpreterFromPythonExtension(ext), '/venv/bin/python');
  assert.equal(activated, true);
  assert.equal(await interpreterFromPythonExtension(undefined), undefined);
  assert.equal(
    await interpreterFromPythonExtension({ isActive: true, exports: {}, activate: async () => ({}) }),
    undefined,
  );
  const unresolved = {
    isActive: true,
    exports: { environments: { ...api.environments, resolveEnvironment: async () => undefined } },
    activate: async () => undefined,
  };
  assert.equal(await interpreterFromPythonExtension(unresolved), undefined);
});

test('server and probe command lines', () => {
  assert.deepEqual(serverCommand(['uv', 'run', 'python']), {
    command: 'uv',
    args: ['run', 'python', '-I', '-m', 'ssot_lsp', 'serve'],
  });
  assert.deepEqual(probeCommand(['/usr/bin/python3']), {
    command: '/usr/bin/python3',
    args: ['-I', '-c', 'import ssot_lsp'],
  });
});

test('probe classification', () => {
  assert.equal(classifyProbe({ exitCode: 0 }), undefined);
  assert.equal(classifyProbe({ errorCode: 'ENOENT' })?.kind, 'interpreter-missing');
  assert.equal(
    classifyProbe({ exitCode: 1, stderr: "Traceback...\nModuleNotFoundError: No module named 'ssot_lsp'\n" })?.kind,
    'module-missing',
  );
  assert.deepEqual(classifyProbe({ exitCode: 1, stderr: 'SyntaxError: bad\n' }), { kind: 'other', detail: 'SyntaxError: bad' });
});

test('failure messages say what to run', () => {
  const m = startFailureMessage(['/opt/my py/python'], { kind: 'module-missing', detail: '' });
  assert.match(m, /'\/opt\/my py\/python' -m pip install ssot-lsp/);
  assert.match(m, /pip install -e/);
  assert.match(startFailureMessage(['python3'], { kind: 'interpreter-missing', detail: '' }), /ssotLsp\.interpreter/);
  assert.match(startFailureMessage(['python3'], { kind: 'other', detail: 'x' }), /python3 -m pip install ssot-lsp/);
});
