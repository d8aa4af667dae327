/**
 * Status bar text and the indexing-progress tracker. Pure: no VS Code import.
 */

export const INDEXING_TITLE = 'SSOT: indexing workspace';

export type ServerState = 'starting' | 'restarting' | 'running' | 'stopped' | 'failed' | 'disabled';

export interface StatusInput {
  state: ServerState;
  /**
   * Violations in the workspace: the total of the last `ssot.listViolations` answer, the number the
   * tree shows. Undefined while unknown (before the first answer after indexing, during a restart):
   * then the item never claims "no violations".
   */
  count?: number;
  /** files with violations (same answer) */
  files?: number;
  /** set while indexing progress runs */
  indexing?: { percentage?: number; message?: string };
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** 'error' / 'warning' background or none */
  background?: 'error' | 'warning';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
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
  if (s.state === 'restarting') {
    return { text: '$(sync~spin) SSOT: restarting', tooltip: 'SSOT language server restarting' };
  }
  if (s.state === 'starting') {
    return { text: '$(sync~spin) SSOT: starting', tooltip: 'SSOT language server starting' };
  }
  if (s.indexing || s.count === undefined) {
    const p = s.indexing?.percentage;
    const pct = typeof p === 'number' && Number.isFinite(p) ? ` ${Math.max(0, Math.min(100, Math.round(p)))}%` : '';
    const detail = s.indexing?.message ? ` (${s.indexing.message})` : '';
    return {
      text: `$(sync~spin) SSOT: indexing${pct || '…'}`,
      tooltip: `${INDEXING_TITLE}${pct}${detail}; the count follows when it is done`,
    };
  }
  const where = s.files ? ` in ${plural(s.files, 'file')}` : '';
  if (s.count > 0) {
    return {
      text: `$(warning) SSOT: ${s.count}`,
      tooltip: `${plural(s.count, 'SSOT violation')}${where} in the workspace — click to show them`,
      background: 'warning',
    };
  }
  return { text: '$(check) SSOT: 0', tooltip: 'No SSOT violations in the workspace' };
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
  /** the last report's message, e.g. "1234/3831 files" */
  message: string | undefined;

  handle(token: string | number, value: unknown): ProgressEvent {
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as ProgressValue;
    if (v.kind === 'begin') {
      if (v.title !== INDEXING_TITLE) return undefined;
      this.tokens.set(token, v.percentage);
      this.message = undefined;
      return { type: 'begin', percentage: v.percentage };
    }
    if (!this.tokens.has(token)) return undefined;
    if (v.kind === 'report') {
      const p = typeof v.percentage === 'number' ? v.percentage : this.tokens.get(token);
      this.tokens.set(token, p);
      if (typeof v.message === 'string') this.message = v.message;
      return { type: 'report', percentage: p };
    }
    if (v.kind === 'end') {
      this.tokens.delete(token);
      if (!this.tokens.size) this.message = undefined;
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
    this.message = undefined;
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
