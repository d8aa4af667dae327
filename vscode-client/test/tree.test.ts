import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, childrenOf, displayPath, pathFromUri, summary } from '../src/tree';

const r = (l: number, c: number, l2 = l, c2 = c + 5) => ({ start: { line: l, character: c }, end: { line: l2, character: c2 } });
const v = (code: string, file: string, line: number, extra: Record<string, unknown> = {}) => ({
  uri: `file:///ws${file}`,
  path: `/ws${file}`,
  range: r(line, 4),
  code,
  rule: code === 'SSOT001' ? 'legacy-import' : 'legacy-construction',
  message: `${code} at ${line}`,
  group: 'execution_engine',
  severity: code === 'SSOT001' ? 'warning' : 'error',
  ...extra,
});

test('groups by code, then file, then site, sorted, with counts', () => {
  const list = [
    v('SSOT002', '/b/z.py', 9),
    v('SSOT001', '/a/y.py', 3),
    v('SSOT002', '/a/x.py', 12),
    v('SSOT002', '/a/x.py', 2),
    v('SSOT001', '/a/y.py', 1),
  ];
  const m = buildTree(list, ['/ws']);
  assert.equal(m.total, 5);
  assert.equal(m.files, 3);
  assert.deepEqual(m.roots.map((n) => n.code), ['SSOT001', 'SSOT002']);
  const [r1, r2] = m.roots;
  assert.equal(r1.label, 'SSOT001 legacy-import');
  assert.equal(r1.description, '2 sites in 1 file');
  assert.equal(r2.description, '3 sites in 2 files');
  assert.equal(r2.severity, 'error');
  assert.deepEqual(r2.children.map((f) => f.label), ['x.py', 'z.py']);
  assert.equal(r2.children[0].description, 'a · 2 sites');
  assert.deepEqual(r2.children[0].children.map((s) => s.description), ['3:5', '13:5']);
  assert.equal(r2.children[0].children[0].label, 'SSOT002 at 2');
  assert.equal(childrenOf(undefined, m).length, 2);
  assert.equal(childrenOf(r2.children[0].children[0], m).length, 0);
  assert.equal(summary(m), '5 violations in 3 files, 2 rules');
  // ids are unique
  const ids = new Set<string>();
  for (const rule of m.roots) {
    ids.add(rule.id);
    for (const f of rule.children) {
      ids.add(f.id);
      for (const s of f.children) ids.add(s.id);
    }
  }
  assert.equal(ids.size, 2 + 3 + 5);
});

test('malformed entries are counted and skipped; duplicates dropped', () => {
  const m = buildTree([v('SSOT001', '/a.py', 1), v('SSOT001', '/a.py', 1), { uri: 1 }, null, { uri: 'file:///x', code: 'SSOT001' }]);
  assert.equal(m.total, 1);
  assert.equal(m.invalid, 3);
});

test('non-array answer gives an empty tree', () => {
  const m = buildTree(null);
  assert.equal(m.total, 0);
  assert.equal(summary(m), 'No SSOT violations');
});

test('missing path is derived from the uri; singular labels', () => {
  const m = buildTree([{ uri: 'file:///ws/my%20dir/f.py', range: r(0, 0), code: 'SSOT009' }], ['/ws']);
  const f = m.roots[0].children[0];
  assert.equal(f.path, '/ws/my dir/f.py');
  assert.equal(f.label, 'f.py');
  assert.equal(f.description, 'my dir · 1 site');
  assert.equal(m.roots[0].label, 'SSOT009');
  assert.equal(m.roots[0].description, '1 site in 1 file');
  assert.equal(f.children[0].label, 'SSOT009');
});

test('path helpers', () => {
  assert.equal(pathFromUri('file:///a/b%23c.py'), '/a/b#c.py');
  assert.equal(pathFromUri('untitled:Untitled-1'), 'untitled:Untitled-1');
  assert.equal(displayPath('/ws/sub/a.py', ['/ws', '/ws/sub']), 'a.py');
  assert.equal(displayPath('/other/a.py', ['/ws']), '/other/a.py');
  assert.equal(displayPath('C:\\ws\\a.py', ['C:\\ws']), 'a.py');
});
