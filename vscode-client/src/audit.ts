/**
 * "SSOT: Show Audit Report": the server's audit (`ssot.audit`, docs/protocol.md) in a webview —
 * per group and symbol the sites still using it (per rule, production and tests apart), per
 * directory, what the migration broke, and the delta against the baseline. The page is the one
 * `ssot-lsp audit --format html` writes (no script, inline SVG), shown under a CSP that allows
 * nothing but its inline style.
 */
import * as vscode from 'vscode';

const CSP =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:;">';

export interface AuditAnswer {
  kind?: string;
  html?: string;
  message?: string;
}

/** The page to show for the server's answer, or the reason there is none. */
export function auditPage(answer: unknown): { html: string } | { problem: string } {
  const a = (answer ?? {}) as AuditAnswer;
  if (a.kind === 'audit-html' && typeof a.html === 'string') {
    return { html: a.html.replace(/<head>/i, `<head>${CSP}`) };
  }
  if (a.kind === 'audit-unavailable') return { problem: a.message || 'no audit for this workspace' };
  return { problem: `unexpected answer to ssot.audit: ${JSON.stringify(answer).slice(0, 200)}` };
}

export class AuditPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  show(html: string): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('ssotLsp.audit', 'SSOT Audit', vscode.ViewColumn.Active, {
        enableScripts: false,
        enableFindWidget: true,
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.webview.html = html;
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
