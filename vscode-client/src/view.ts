/**
 * The "SSOT Violations" tree view: VS Code glue around the pure model of `tree.ts`.
 *
 * Rules start collapsed (a real workspace has hundreds of sites); what the user expands or
 * collapses is remembered per workspace, across reloads. The "current file" filter shows only the
 * active editor's violations and follows the editor.
 */
import * as vscode from 'vscode';

import { defaultExpanded, filterToFile, summary, TreeModel, TreeNode, childrenOf } from './tree';

const EXPANDED_KEY = 'ssotLsp.tree.expanded';
const FILTER_KEY = 'ssotLsp.tree.currentFileOnly';
export const FILTER_CONTEXT = 'ssotLsp.currentFileOnly';
const EMPTY: TreeModel = { roots: [], total: 0, files: 0, invalid: 0 };

class ViolationsProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  shown: TreeModel = EMPTY;

  constructor(private readonly expanded: (node: TreeNode) => boolean) {}

  show(model: TreeModel): void {
    this.shown = model;
    this.emitter.fire();
  }

  getChildren(element?: TreeNode): TreeNode[] {
    return childrenOf(element, this.shown);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = this.expanded(node) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'rule': {
        const item = new vscode.TreeItem(node.label, state);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = `${node.label}: ${node.description}`;
        item.contextValue = 'ssotRule';
        item.iconPath = severityIcon(node.severity);
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.label, state);
        item.id = node.id;
        item.resourceUri = vscode.Uri.parse(node.uri);
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = 'ssotFile';
        return item;
      }
      case 'site': {
        const v = node.violation;
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = new vscode.MarkdownString().appendText(node.tooltip);
        item.accessibilityInformation = { label: `${node.label} ${node.description}` };
        item.contextValue = 'ssotSite';
        item.iconPath = severityIcon(v.severity);
        // LSP ranges are 0-based; VS Code negotiates UTF-16 so characters map 1:1.
        const range = new vscode.Range(v.range.start.line, v.range.start.character, v.range.end.line, v.range.end.character);
        item.command = {
          command: 'vscode.open',
          title: 'Open',
          arguments: [vscode.Uri.parse(v.uri), { selection: range, preserveFocus: false } as vscode.TextDocumentShowOptions],
        };
        return item;
      }
    }
  }
}

function severityIcon(severity: string): vscode.ThemeIcon {
  switch (severity) {
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'warning':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'hint':
      return new vscode.ThemeIcon('lightbulb');
    default:
      return new vscode.ThemeIcon('info');
  }
}

export class ViolationsView implements vscode.Disposable {
  readonly tree: vscode.TreeView<TreeNode>;
  private readonly provider: ViolationsProvider;
  private readonly disposables: vscode.Disposable[] = [];
  private model: TreeModel | undefined;
  private pending: string | undefined;
  private currentFileOnly: boolean;
  /** node id -> expanded, for the nodes the user expanded or collapsed */
  private readonly expandedState: Record<string, boolean>;

  constructor(private readonly state: vscode.Memento) {
    this.expandedState = { ...(state.get<Record<string, boolean>>(EXPANDED_KEY) ?? {}) };
    this.currentFileOnly = state.get<boolean>(FILTER_KEY) ?? false;
    this.provider = new ViolationsProvider((node) => this.expandedState[node.id] ?? defaultExpanded(node));
    this.tree = vscode.window.createTreeView('ssotLsp.violations', { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.tree,
      this.tree.onDidExpandElement((e) => this.remember(e.element, true)),
      this.tree.onDidCollapseElement((e) => this.remember(e.element, false)),
      vscode.window.onDidChangeActiveTextEditor(() => {
        if (this.currentFileOnly) this.render();
      }),
    );
    void vscode.commands.executeCommand('setContext', FILTER_CONTEXT, this.currentFileOnly);
    this.render();
  }

  get visible(): boolean {
    return this.tree.visible;
  }

  /** A new answer of `ssot.listViolations` (undefined: unknown, e.g. during a restart). */
  set(model: TreeModel | undefined, pending?: string): void {
    this.model = model;
    this.pending = pending;
    this.render();
  }

  /** Shows why there is no list (an error, "indexing…", "restarting…"), keeping the rows. */
  setPending(text: string | undefined): void {
    this.pending = text;
    this.render();
  }

  async setCurrentFileOnly(on: boolean): Promise<void> {
    this.currentFileOnly = on;
    await this.state.update(FILTER_KEY, on);
    await vscode.commands.executeCommand('setContext', FILTER_CONTEXT, on);
    this.render();
  }

  private remember(node: TreeNode, expanded: boolean): void {
    if (expanded === defaultExpanded(node)) delete this.expandedState[node.id];
    else this.expandedState[node.id] = expanded;
    void this.state.update(EXPANDED_KEY, this.expandedState);
  }

  private render(): void {
    const model = this.model;
    const active = vscode.window.activeTextEditor?.document.uri;
    const shown = model && this.currentFileOnly ? filterToFile(model, active?.scheme === 'file' ? active.toString() : undefined) : model;
    this.provider.show(shown ?? EMPTY);
    this.tree.badge = model?.total ? { value: model.total, tooltip: summary(model) } : undefined;
    const scope = this.currentFileOnly ? (active ? `current file: ${basename(active.path)}` : 'current file: none') : undefined;
    if (this.pending) {
      this.tree.message = this.pending;
    } else if (!model) {
      this.tree.message = 'Waiting for the SSOT language server…';
    } else if (this.currentFileOnly && !active) {
      this.tree.message = 'No file is open; the filter shows the violations of the active editor.';
    } else if (shown && shown.total === 0) {
      this.tree.message = this.currentFileOnly ? `No SSOT violations in ${basename(active!.path)}.` : 'No SSOT violations in the workspace.';
    } else {
      this.tree.message = undefined;
    }
    const counts = !shown?.total ? undefined : this.currentFileOnly ? `${shown.total} here, ${model!.total} in all` : summary(shown);
    this.tree.description = [scope, counts].filter(Boolean).join(' · ') || undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}
