import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ViolationStore } from '../src/store';

const site = (line: number) => ({
  uri: 'file:///ws/a.py',
  path: '/ws/a.py',
  range: { start: { line, character: 0 }, end: { line, character: 3 } },
  code: 'SSOT001',
  rule: 'legacy-import',
  message: `m${line}`,
  group: 'engine',
  severity: 'warning',
});

test('the count is unknown until the first answer, then the answer\'s total', () => {
  const store = new ViolationStore();
  assert.equal(store.count, undefined);
  const t = store.ticket();
  store.accept(t, [site(1), site(2)], ['/ws']);
  assert.equal(store.count, 2);
  assert.equal(store.model?.files, 1);
});

test('an empty answer is a known zero', () => {
  const store = new ViolationStore();
  store.accept(store.ticket(), [], []);
  assert.equal(store.count, 0);
});

test('an older answer arriving after a newer one is dropped', () => {
  const store = new ViolationStore();
  const older = store.ticket();
  const newer = store.ticket();
  assert.ok(store.accept(newer, [site(1)], []));
  assert.equal(store.accept(older, [site(1), site(2), site(3)], []), undefined);
  assert.equal(store.count, 1);
});

test('a restart forgets the count and drops answers asked before it', () => {
  const store = new ViolationStore();
  store.accept(store.ticket(), [site(1)], []);
  const before = store.ticket();
  store.invalidate();
  assert.equal(store.count, undefined);
  assert.equal(store.isCurrent(before), false);
  assert.equal(store.accept(before, [site(1), site(2)], []), undefined);
  assert.equal(store.count, undefined);
  store.accept(store.ticket(), [site(4), site(5), site(6)], []);
  assert.equal(store.count, 3);
});
