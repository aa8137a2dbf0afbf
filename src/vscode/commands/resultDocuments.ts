/**
 * Tool results open as read-only virtual documents (`warden-result:` URIs). Content lives in memory
 * here, capped to the most recent results.
 */
import * as vscode from 'vscode';

export const RESULT_SCHEME = 'warden-result';
const MAX_KEPT = 50;

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This result is no longer kept. Run the tool again.';
  }

  /** Keeps `content` under a `warden-result:` URI without showing it (for a diff, say). */
  put(name: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${name}` });
    this.contents.set(uri.toString(), content);
    while (this.contents.size > MAX_KEPT) {
      const oldest = this.contents.keys().next().value;
      if (oldest === undefined) break;
      this.contents.delete(oldest);
    }
    return uri;
  }

  async open(name: string, content: string): Promise<vscode.TextDocument> {
    const uri = this.put(`${name}.md`, content);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
