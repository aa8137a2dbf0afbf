import * as vscode from 'vscode';

/**
 * Answers Warden's quick pick the way a person does, with workbench commands (several run in
 * order, e.g. select the next item, then accept). The pick opens in the workbench a moment after
 * the extension host asks for it, and a command sent before then does nothing, so the answer is
 * repeated until the call settles (at most 50 times).
 */
export async function answerQuickPick(call: Promise<unknown>, commands: string | readonly string[]): Promise<void> {
  let settled = false;
  void call.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let attempt = 0; attempt < 50 && !settled; attempt++) {
    for (const command of typeof commands === 'string' ? [commands] : commands) await vscode.commands.executeCommand(command);
    await Promise.race([call.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}
