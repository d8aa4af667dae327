/**
 * Status bar text and the indexing-progress tracker. Pure: no VS Code import.
 */

export const INDEXING_TITLE = 'SSOT: indexing workspace';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed' | 'disabled';

export interface StatusInput {
  state: ServerState;
  /** violations known (from diagnostics with source "ssot" or the last list) */
  count: number;
  /** set while indexing progress runs */
  indexing?: { percentage?: number };
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** 'error' / 'warning' background or none */
  background?: 'error' | 'warning';
}

export function formatStatus(s: StatusInput): StatusView {
  if (s.state === 'failed') {
    return { text: '$(error) SSOT', tooltip: 'SSOT language server failed to start — see the output', background: 'error' };
  }
  if (s.state === 'disabled') {
    return { text: '$(circle-slash) SSOT', tooltip: 'SSOT analysis disabled (ssotLsp.enable)' };
  }
  if (s.state === 'stopped') {
    return { text: '$(debug-stop) SSOT', tooltip: 'SSOT language server stopped' };
  }
  if (s.indexing) {
    const p = s.indexing.percentage;
    const pct = typeof p === 'number' && Number.isFinite(p) ? ` ${Math.max(0, Math.min(100, Math.round(p)))}%` : '';
    return { text: `$(sync~spin) SSOT: indexing${pct}`, tooltip: `${INDEXING_TITLE}${pct}` };
  }
  if (s.state === 'starting') {
    return { text: '$(sync~spin) SSOT', tooltip: 'SSOT language server starting' };
  }
  if (s.count > 0) {
    return {
      text: `$(warning) SSOT: ${s.count}`,
      tooltip: `${s.count} SSOT violation${s.count === 1 ? '' : 's'} — click to show them`,
      background: 'warning',
    };
  }
  return { text: '$(check) SSOT', tooltip: 'No SSOT violations' };
}

/** LSP WorkDoneProgress values (begin/report/end). */
export interface ProgressValue {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  percentage?: number;
  message?: string;
}

export type ProgressEvent =
  | { type: 'begin'; percentage?: number }
  | { type: 'report'; percentage?: number }
  | { type: 'end' }
  | undefined;

/**
 * Follows `$/progress` for any token; reports only those whose begin title is the indexing title.
 */
export class IndexingTracker {
  private readonly tokens = new Map<string | number, number | undefined>();

  handle(token: string | number, value: unknown): ProgressEvent {
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as ProgressValue;
    if (v.kind === 'begin') {
      if (v.title !== INDEXING_TITLE) return undefined;
      this.tokens.set(token, v.percentage);
      return { type: 'begin', percentage: v.percentage };
    }
    if (!this.tokens.has(token)) return undefined;
    if (v.kind === 'report') {
      const p = typeof v.percentage === 'number' ? v.percentage : this.tokens.get(token);
      this.tokens.set(token, p);
      return { type: 'report', percentage: p };
    }
    if (v.kind === 'end') {
      this.tokens.delete(token);
      return { type: 'end' };
    }
    return undefined;
  }

  get active(): boolean {
    return this.tokens.size > 0;
  }

  /** Lowest percentage of the running indexings (undefined if unknown). */
  get percentage(): number | undefined {
    let out: number | undefined;
    for (const p of this.tokens.values()) {
      if (typeof p === 'number') out = out === undefined ? p : Math.min(out, p);
    }
    return out;
  }

  reset(): void {
    this.tokens.clear();
  }
}

/** Summary line for the result of `ssot.fixAll`. */
export function formatFixAllResult(result: unknown): string {
  if (typeof result !== 'object' || result === null) {
    return 'SSOT: fix all finished.';
  }
  const r = result as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' ? v : Array.isArray(v) ? v.length : 0);
  const fixed = num(r.fixedSites);
  const files = num(r.files);
  const skipped = num(r.skippedFiles);
  const unfixable = num(r.unfixableSites);
  const parts = [`SSOT: fixed ${fixed} site${fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`];
  if (skipped) parts.push(`${skipped} file${skipped === 1 ? '' : 's'} skipped`);
  if (unfixable) parts.push(`${unfixable} site${unfixable === 1 ? '' : 's'} need a manual fix`);
  return parts.join('; ') + '.';
}
