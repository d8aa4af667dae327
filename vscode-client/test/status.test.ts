import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixAllResult, formatStatus, IndexingTracker, INDEXING_TITLE } from '../src/status';

test('status texts', () => {
  assert.equal(formatStatus({ state: 'running', count: 0 }).text, '$(check) SSOT: 0');
  assert.equal(formatStatus({ state: 'running', count: 7 }).text, '$(warning) SSOT: 7');
  assert.equal(formatStatus({ state: 'running', count: 1, files: 1 }).tooltip, '1 SSOT violation in 1 file in the workspace — click to show them');
  assert.equal(formatStatus({ state: 'running', count: 3, indexing: { percentage: 42.4 } }).text, '$(sync~spin) SSOT: indexing 42%');
  assert.equal(formatStatus({ state: 'running', count: 3, indexing: {} }).text, '$(sync~spin) SSOT: indexing…');
  assert.equal(formatStatus({ state: 'running', count: 0, indexing: { percentage: 140 } }).text, '$(sync~spin) SSOT: indexing 100%');
  assert.equal(formatStatus({ state: 'failed', count: 0 }).background, 'error');
  assert.equal(formatStatus({ state: 'disabled', count: 3 }).text, '$(circle-slash) SSOT');
  assert.equal(formatStatus({ state: 'starting', count: 0 }).text, '$(sync~spin) SSOT: starting');
});

test('no count is claimed while it is unknown', () => {
  // running, no answer yet: "indexing…", never "no violations"
  const unknown = formatStatus({ state: 'running' });
  assert.equal(unknown.text, '$(sync~spin) SSOT: indexing…');
  assert.doesNotMatch(unknown.tooltip, /No SSOT violations/);
  assert.equal(formatStatus({ state: 'running', indexing: { percentage: 12, message: '40/300 files' } }).tooltip,
    'SSOT: indexing workspace 12% (40/300 files); the count follows when it is done');
  // a restart hides the old count
  assert.equal(formatStatus({ state: 'restarting', count: 55 }).text, '$(sync~spin) SSOT: restarting');
  assert.equal(formatStatus({ state: 'starting', count: 55 }).text, '$(sync~spin) SSOT: starting');
});

test('indexing tracker follows only the indexing title', () => {
  const t = new IndexingTracker();
  assert.equal(t.handle('other', { kind: 'begin', title: 'Fixing' }), undefined);
  assert.equal(t.handle('other', { kind: 'report', percentage: 5 }), undefined);
  assert.deepEqual(t.handle('idx', { kind: 'begin', title: INDEXING_TITLE, percentage: 0 }), { type: 'begin', percentage: 0 });
  assert.equal(t.active, true);
  assert.deepEqual(t.handle('idx', { kind: 'report', percentage: 50 }), { type: 'report', percentage: 50 });
  assert.deepEqual(t.handle('idx', { kind: 'report', message: 'x' }), { type: 'report', percentage: 50 });
  assert.equal(t.message, 'x');
  assert.equal(t.percentage, 50);
  assert.deepEqual(t.handle('idx', { kind: 'end' }), { type: 'end' });
  assert.equal(t.active, false);
  assert.equal(t.message, undefined);
  assert.equal(t.handle('idx', { kind: 'end' }), undefined);
  assert.equal(t.handle('x', null), undefined);
  t.handle(1, { kind: 'begin', title: INDEXING_TITLE });
  t.reset();
  assert.equal(t.active, false);
});

test('fix-all summary', () => {
  assert.equal(
    formatFixAllResult({ fixedSites: 5, files: 2, skippedFiles: ['file:///a'], unfixableSites: 1 }),
    'SSOT: fixed 5 sites in 2 files; 1 file skipped; 1 site need a manual fix.',
  );
  assert.equal(formatFixAllResult({ fixedSites: 1, files: 1, skippedFiles: [], unfixableSites: 0 }), 'SSOT: fixed 1 site in 1 file.');
  assert.equal(formatFixAllResult(null), 'SSOT: fix all finished.');
});
