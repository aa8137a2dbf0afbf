/**
 * Asks a person whether a tool call may run, when the policy wants a confirmation: a quick pick
 * that stays open until answered, with the choices to remember the answer.
 */
import * as vscode from 'vscode';
import type { ConfirmationAnswer, ConfirmationPrompt } from '../../core/router/toolRouter';

interface Choice extends vscode.QuickPickItem {
  readonly answer: ConfirmationAnswer;
}

const askedEmitter = new vscode.EventEmitter<ConfirmationPrompt>();
/** Fires as Warden shows a confirmation, for anyone watching what it asks (and the tests). */
export const onDidAskToConfirm = askedEmitter.event;

export async function askToConfirm(prompt: ConfirmationPrompt): Promise<ConfirmationAnswer> {
  const args = JSON.stringify(prompt.args);
  const choices: Choice[] = [
    { label: '$(check) Allow once', answer: 'once' },
    { label: '$(clock) Allow for this session', description: `${prompt.server}.${prompt.tool.name} until VS Code restarts`, answer: 'session' },
    { label: '$(folder) Allow in this workspace', description: 'remembered for this workspace', answer: 'workspace' },
    { label: '$(pass-filled) Always allow', description: 'remembered everywhere; revoke it from the Warden view', answer: 'always' },
    { label: '$(circle-slash) Deny', answer: 'declined' },
  ];
  const shown = vscode.window.showQuickPick(choices, {
    title: `Allow ${prompt.caller} to run ${prompt.server}.${prompt.tool.name}?`,
    placeHolder: `${capitalise(prompt.why)}. Arguments: ${args.length > 160 ? `${args.slice(0, 160)}…` : args}`,
    ignoreFocusOut: true,
  });
  askedEmitter.fire(prompt);
  return (await shown)?.answer ?? 'declined';
}

function capitalise(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}
