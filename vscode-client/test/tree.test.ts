import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, childrenOf, defaultExpanded, displayPath, filterToFile, pathFromUri, sameUri, shortMessage, summary } from '../src/tree';

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
  // site rows: line:col first, then the code and the short message; the whole message in the tooltip
  assert.deepEqual(r2.children[0].children.map((s) => s.label), ['3:5', '13:5']);
  assert.equal(r2.children[0].children[0].description, 'SSOT002 SSOT002 at 2');
  assert.match(r2.children[0].children[0].tooltip, /\n\nSSOT002 at 2$/);
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
  assert.equal(m.duplicates, 1);
});

test('two findings of one site with different messages are two rows (the server sent two)', () => {
  const star = (hint: string) => v('SSOT001', '/a.py', 3, { message: `star import from pkg brings in legacy A, B; ${hint}` });
  const m = buildTree([star('use A2'), star('use B2')]);
  assert.equal(m.total, 2);
  assert.equal(m.duplicates, 0);
});

test("a file row says how many of the file's findings are of this rule", () => {
  const m = buildTree([v('SSOT001', '/a/x.py', 1), v('SSOT002', '/a/x.py', 5), v('SSOT002', '/a/x.py', 7)], ['/ws']);
  const [imports, constructions] = m.roots;
  assert.equal(imports.children[0].description, 'a · 1 of 3 (SSOT001)');
  assert.equal(imports.children[0].fileTotal, 3);
  assert.equal(constructions.children[0].description, 'a · 2 of 3 (SSOT002)');
  assert.match(imports.children[0].tooltip, /1 SSOT001 site; 3 SSOT findings in the file/);
});

test('short messages keep the first clause, cut at a word', () => {
  assert.equal(
    shortMessage('construction of legacy ExecutionEngine; use UserExecutionEngine from x, created through y'),
    'construction of legacy ExecutionEngine',
  );
  const long = shortMessage('import of ExecutionEngine from legacy module netra_backend.app.agents.supervisor.execution_engine; use X');
  assert.ok(long.length <= 60, long);
  assert.ok(long.endsWith('…'), long);
  assert.equal(long, 'import of ExecutionEngine from legacy module…');
  assert.equal(shortMessage('  a\n b  '), 'a b');
});

test('the current-file filter keeps one file under every rule, with its counts', () => {
  const list = [v('SSOT001', '/a/x.py', 1), v('SSOT002', '/a/x.py', 5), v('SSOT002', '/b/y.py', 7), v('SSOT004', '/b/y.py', 9)];
  const m = buildTree(list, ['/ws']);
  const only = filterToFile(m, 'file:///ws/a/x.py');
  assert.deepEqual(only.roots.map((r) => [r.code, r.count, r.description]), [['SSOT001', 1, '1 site'], ['SSOT002', 1, '1 site']]);
  assert.equal(only.total, 2);
  assert.equal(only.files, 1);
  assert.equal(filterToFile(m, 'file:///ws/elsewhere.py').total, 0);
  assert.equal(filterToFile(m, undefined).roots.length, 0);
  assert.equal(m.total, 4, 'the full model is unchanged');
});

test('file URIs compare across escaping', () => {
  assert.ok(sameUri('file:///c%3A/ws/a.py', 'file:///c:/ws/a.py'));
  assert.ok(sameUri('file:///ws/my%20dir/a.py', 'file:///ws/my dir/a.py'));
  assert.ok(!sameUri('file:///ws/a.py', 'file:///ws/b.py'));
});

test('rules start collapsed, files expanded', () => {
  const m = buildTree([v('SSOT001', '/a/x.py', 1)]);
  assert.equal(defaultExpanded(m.roots[0]), false);
  assert.equal(defaultExpanded(m.roots[0].children[0]), true);
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
  assert.equal(f.children[0].label, '1:1');
  assert.equal(f.children[0].description, 'SSOT009');
});

test('path helpers', () => {
  assert.equal(pathFromUri('file:///a/b%23c.py'), '/a/b#c.py');
  assert.equal(pathFromUri('untitled:Untitled-1'), 'untitled:Untitled-1');
  assert.equal(displayPath('/ws/sub/a.py', ['/ws', '/ws/sub']), 'a.py');
  assert.equal(displayPath('/other/a.py', ['/ws']), '/other/a.py');
  assert.equal(displayPath('C:\\ws\\a.py', ['C:\\ws']), 'a.py');
});
