import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, needsRestart, normaliseSettings, readSettings } from '../src/settings';

test('defaults for an empty or bogus object', () => {
  for (const raw of [undefined, null, {}, [], 'x']) {
    const { settings, problems } = normaliseSettings(raw);
    assert.deepEqual(settings, DEFAULTS);
    assert.deepEqual(problems, []);
  }
});

test('valid values pass through', () => {
  const raw = {
    enable: false,
    severity: { SSOT001: 'error', ssot003: 'off', SSOT004: 'info' },
    debounceMs: 250,
    configFile: ' /repo/pyproject.toml ',
    logLevel: 'debug',
    diagnosticMode: 'workspace',
    maxFileSizeKb: 2048,
    docsBaseUrl: ' https://wiki.example/ssot/{code} ',
    interpreter: ['/x'],
  };
  const { settings, problems } = normaliseSettings(raw);
  assert.deepEqual(settings, {
    enable: false,
    severity: { SSOT001: 'error', SSOT003: 'off', SSOT004: 'information' },
    debounceMs: 250,
    configFile: '/repo/pyproject.toml',
    logLevel: 'debug',
    diagnosticMode: 'workspace',
    maxFileSizeKb: 2048,
    docsBaseUrl: 'https://wiki.example/ssot/{code}',
  });
  assert.deepEqual(problems, []);
  assert.equal('interpreter' in settings, false);
});

test('invalid values are replaced by defaults and reported', () => {
  const { settings, problems } = normaliseSettings({
    enable: 'yes',
    severity: { SSOT001: 'fatal', FOO: 'error', SSOT002: 'warning' },
    debounceMs: -5,
    configFile: 3,
    logLevel: 'trace',
    diagnosticMode: 'all',
    maxFileSizeKb: 0,
    docsBaseUrl: 'docs/rules',
  });
  assert.equal(settings.enable, true);
  assert.deepEqual(settings.severity, { SSOT002: 'warning' });
  assert.equal(settings.debounceMs, null);
  assert.equal(settings.configFile, null);
  assert.equal(settings.logLevel, 'info');
  assert.equal(settings.diagnosticMode, 'openFiles');
  assert.equal(settings.maxFileSizeKb, 1024);
  assert.equal(settings.docsBaseUrl, null);
  assert.equal(problems.length, 9);
});

test('empty configFile string means null; severity array rejected', () => {
  const { settings, problems } = normaliseSettings({ configFile: '  ', severity: ['error'] });
  assert.equal(settings.configFile, null);
  assert.deepEqual(settings.severity, {});
  assert.equal(problems.length, 1);
});

test('readSettings reads the server keys only', () => {
  const asked: string[] = [];
  const { settings } = readSettings({
    get: (k: string) => {
      asked.push(k);
      return k === 'debounceMs' ? 7 : undefined;
    },
  });
  assert.equal(settings.debounceMs, 7);
  assert.deepEqual(asked.sort(), ['configFile', 'debounceMs', 'diagnosticMode', 'docsBaseUrl', 'enable', 'logLevel', 'maxFileSizeKb', 'severity']);
});

test('only interpreter changes need a restart', () => {
  assert.equal(needsRestart((s) => s === 'ssotLsp.interpreter'), true);
  assert.equal(needsRestart((s) => s === 'ssotLsp.severity'), false);
});
