/**
 * Tree model for the "SSOT Violations" view, built from the result of `ssot.listViolations`
 * (docs/protocol.md): rule code -> file -> site. Pure: no VS Code import.
 */

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface Violation {
  uri: string;
  path: string;
  range: LspRange;
  code: string;
  rule: string;
  message: string;
  group: string;
  severity: string;
}

export interface SiteNode {
  kind: 'site';
  id: string;
  violation: Violation;
  label: string;
  description: string;
  tooltip: string;
}

export interface FileNode {
  kind: 'file';
  id: string;
  uri: string;
  path: string;
  label: string;
  description: string;
  tooltip: string;
  /** sites of this rule in the file */
  count: number;
  /** SSOT findings of every rule in the file: what VS Code's problem badge shows for it */
  fileTotal: number;
  children: SiteNode[];
}

export interface RuleNode {
  kind: 'rule';
  id: string;
  code: string;
  rule: string;
  severity: string;
  label: string;
  description: string;
  count: number;
  fileCount: number;
  children: FileNode[];
}

export type TreeNode = RuleNode | FileNode | SiteNode;

export interface TreeModel {
  roots: RuleNode[];
  total: number;
  files: number;
  /** entries of the server's answer that were not valid violations */
  invalid: number;
  /** entries identical to an earlier one (same code, range and message): shown once, logged */
  duplicates?: number;
}

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function isPos(p: unknown): p is LspPosition {
  return (
    typeof p === 'object' &&
    p !== null &&
    Number.isInteger((p as LspPosition).line) &&
    Number.isInteger((p as LspPosition).character)
  );
}

/** Validate one entry of the server answer; fills safe defaults for optional text fields. */
export function asViolation(raw: unknown): Violation | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const range = r.range as LspRange | undefined;
  if (typeof r.uri !== 'string' || typeof r.code !== 'string' || !range || !isPos(range.start) || !isPos(range.end)) {
    return undefined;
  }
  return {
    uri: r.uri,
    path: typeof r.path === 'string' && r.path !== '' ? r.path : pathFromUri(r.uri),
    range: { start: { ...range.start }, end: { ...range.end } },
    code: r.code,
    rule: typeof r.rule === 'string' ? r.rule : '',
    message: typeof r.message === 'string' ? r.message : '',
    group: typeof r.group === 'string' ? r.group : '',
    severity: typeof r.severity === 'string' ? r.severity : 'warning',
  };
}

export function pathFromUri(uri: string): string {
  const m = /^file:\/\/[^/]*(\/.*)$/.exec(uri);
  if (!m) return uri;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** Path to show: relative to the longest matching workspace root, else as given. */
export function displayPath(path: string, roots: readonly string[] = []): string {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const p = norm(path);
  let best = '';
  for (const r of roots.map(norm)) {
    if (r && (p === r || p.startsWith(r + '/')) && r.length > best.length) best = r;
  }
  return best ? p.slice(best.length + 1) || p : p;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function compareRange(a: LspRange, b: LspRange): number {
  return a.start.line - b.start.line || a.start.character - b.start.character || a.end.line - b.end.line || a.end.character - b.end.character;
}

/** Builds the tree. `roots` are workspace folder paths used to shorten file labels. */
export function buildTree(list: unknown, roots: readonly string[] = []): TreeModel {
  const items = Array.isArray(list) ? list : [];
  let invalid = 0;
  let duplicates = 0;
  const byCode = new Map<string, Violation[]>();
  const seen = new Set<string>();
  for (const raw of items) {
    const v = asViolation(raw);
    if (!v) {
      invalid++;
      continue;
    }
    const key = `${v.code}|${v.uri}|${v.range.start.line}:${v.range.start.character}-${v.range.end.line}:${v.range.end.character}|${v.message}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const arr = byCode.get(v.code) ?? [];
    arr.push(v);
    byCode.set(v.code, arr);
  }

  const allFiles = new Set<string>();
  const perFile = new Map<string, number>();
  for (const vs of byCode.values()) for (const v of vs) perFile.set(v.uri, (perFile.get(v.uri) ?? 0) + 1);
  const rootsOut: RuleNode[] = [];
  for (const code of [...byCode.keys()].sort()) {
    const vs = byCode.get(code)!;
    const byFile = new Map<string, Violation[]>();
    for (const v of vs) {
      const arr = byFile.get(v.uri) ?? [];
      arr.push(v);
      byFile.set(v.uri, arr);
      allFiles.add(v.uri);
    }
    const files: FileNode[] = [];
    for (const [uri, fvs] of byFile) {
      fvs.sort((a, b) => compareRange(a.range, b.range));
      const shown = displayPath(fvs[0].path, roots);
      const fileId = `file:${code}:${uri}`;
      const sites: SiteNode[] = fvs.map((v, i) => ({
        kind: 'site',
        id: `site:${code}:${uri}:${v.range.start.line}:${v.range.start.character}:${i}`,
        violation: v,
        label: `${v.range.start.line + 1}:${v.range.start.character + 1}`,
        description: `${v.code} ${shortMessage(v.message || v.rule)}`.trim(),
        tooltip: `${v.code} ${v.rule}${v.group ? ` [${v.group}]` : ''} (${v.severity})\n${shown}:${v.range.start.line + 1}:${v.range.start.character + 1}\n\n${v.message}`,
      }));
      const inFile = perFile.get(uri) ?? sites.length;
      files.push({
        kind: 'file',
        id: fileId,
        uri,
        path: fvs[0].path,
        label: basename(shown),
        description: `${dirname(shown)}${dirname(shown) ? ' · ' : ''}${fileCount(sites.length, inFile, code)}`,
        tooltip: `${shown}\n${plural(sites.length, `${code} site`)}${inFile !== sites.length ? `; ${plural(inFile, 'SSOT finding')} in the file` : ''}`,
        count: sites.length,
        fileTotal: inFile,
        children: sites,
      });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const rule = vs.find((v) => v.rule)?.rule ?? '';
    const severity = vs
      .map((v) => v.severity)
      .sort((a, b) => (SEVERITY_RANK[a] ?? 9) - (SEVERITY_RANK[b] ?? 9))[0];
    rootsOut.push({
      kind: 'rule',
      id: `rule:${code}`,
      code,
      rule,
      severity,
      label: rule ? `${code} ${rule}` : code,
      description: `${plural(vs.length, 'site')} in ${plural(files.length, 'file')}`,
      count: vs.length,
      fileCount: files.length,
      children: files,
    });
  }
  const total = rootsOut.reduce((n, r) => n + r.count, 0);
  return { roots: rootsOut, total, files: allFiles.size, invalid, duplicates };
}

/**
 * The first clause of a message ("construction of legacy ExecutionEngine; use …" ->
 * "construction of legacy ExecutionEngine"), cut at `max` characters: the row shows the what,
 * the tooltip the whole message.
 */
export function shortMessage(message: string, max = 60): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  const clause = flat.split('; ')[0] || flat;
  if (clause.length <= max) return clause;
  const cut = clause.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** "2 sites", or "1 of 3" when the file has findings of other rules too (VS Code's badge counts all). */
function fileCount(sites: number, inFile: number, code: string): string {
  return inFile === sites ? plural(sites, 'site') : `${sites} of ${inFile} (${code})`;
}

/** The model restricted to one file (the "current file" filter); empty when `uri` is undefined. */
export function filterToFile(model: TreeModel, uri: string | undefined): TreeModel {
  if (!uri) return { roots: [], total: 0, files: 0, invalid: model.invalid };
  const roots: RuleNode[] = [];
  for (const rule of model.roots) {
    const files = rule.children.filter((f) => sameUri(f.uri, uri));
    if (!files.length) continue;
    const count = files.reduce((n, f) => n + f.count, 0);
    roots.push({ ...rule, children: files, count, fileCount: files.length, description: plural(count, 'site') });
  }
  const total = roots.reduce((n, r) => n + r.count, 0);
  return { roots, total, files: total ? 1 : 0, invalid: model.invalid };
}

/** file URIs as the server and VS Code spell them may differ in escaping (e.g. `%3A` vs `:`). */
export function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (u: string) => {
    try {
      return decodeURIComponent(u).replace(/^file:\/\/[^/]*/, 'file://');
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

/** Expansion defaults: rules collapsed (a big workspace has hundreds of sites), files open. */
export function defaultExpanded(node: TreeNode): boolean {
  return node.kind === 'file';
}

export function childrenOf(node: TreeNode | undefined, model: TreeModel): TreeNode[] {
  if (!node) return model.roots;
  if (node.kind === 'site') return [];
  return node.children;
}

/** Summary line for the view's message/description. */
export function summary(model: TreeModel): string {
  if (model.total === 0) return 'No SSOT violations';
  return `${plural(model.total, 'violation')} in ${plural(model.files, 'file')}, ${plural(model.roots.length, 'rule')}`;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}
function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}
