import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { COMMANDS, SCRIPTED_VENDOR, type RecordedRequest, type Step } from '../../fixtures/scripted-model/script';

/** The part of a participant's `ChatResult` the workbench hands back to `workbench.action.chat.open`. */
export interface ChatOutcome {
  readonly errorDetails?: { readonly message: string };
  readonly metadata?: {
    readonly warden?: {
      readonly mode?: string;
      readonly command?: string;
      readonly rounds: number;
      readonly stopped?: string;
      readonly calls: readonly { tool: string; target?: string; outcome: string; durationMs: number; auditId: string }[];
    };
  };
}

/** What the chat view shows for one request, from the exported session. */
export interface Transcript {
  readonly markdown: string;
  readonly progress: readonly string[];
  readonly references: readonly string[];
}

/** Starts a new, empty conversation in the chat view. */
export async function newChat(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.chat.newChat');
}

export async function setScript(model: string, steps: readonly Step[]): Promise<void> {
  await vscode.commands.executeCommand(COMMANDS.setScript, model, steps);
}

/**
 * Sends `query` from the chat view with the scripted `model` picked, as a person does, and
 * resolves once the response is complete.
 */
export async function ask(model: string, query: string): Promise<ChatOutcome> {
  const outcome = await send(model, query);
  if (!outcome) throw new Error(`The chat view returned no result for "${query}".`);
  return outcome;
}

/** The same, resolving with whatever the chat view returns (nothing for a cancelled request). */
export function send(model: string, query: string): Thenable<ChatOutcome | undefined> {
  return vscode.commands.executeCommand<ChatOutcome | undefined>('workbench.action.chat.open', {
    query,
    isPartialQuery: false,
    modelSelector: { vendor: SCRIPTED_VENDOR, id: model },
    blockOnResponse: true,
  });
}

export async function requestsTo(model: string): Promise<RecordedRequest[]> {
  return (await vscode.commands.executeCommand<RecordedRequest[]>(COMMANDS.requests, model)) ?? [];
}

/** The last request of the conversation in the chat view, as the exported session records it. */
export async function lastTranscript(folder: string): Promise<Transcript> {
  const file = path.join(folder, `chat-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await vscode.commands.executeCommand('workbench.action.chat.export', vscode.Uri.file(file));
  const session = JSON.parse(fs.readFileSync(file, 'utf8')) as ExportedSession;
  fs.rmSync(file);
  const request = session.requests.at(-1);
  if (!request) throw new Error('The exported chat session has no requests.');
  const markdown: string[] = [];
  const progress: string[] = [];
  for (const part of request.response) {
    if (part.kind === 'progressMessage' && part.content) progress.push(part.content.value);
    else if (part.kind === undefined && typeof part.value === 'string') markdown.push(part.value);
  }
  const references = (request.contentReferences ?? []).flatMap((r) => (r.reference?.path ? [r.reference.path] : []));
  return { markdown: markdown.join(''), progress, references };
}

interface ExportedSession {
  readonly requests: readonly {
    readonly response: readonly { readonly kind?: string; readonly value?: unknown; readonly content?: { readonly value: string } }[];
    readonly contentReferences?: readonly { readonly reference?: { readonly path?: string } }[];
  }[];
}

export interface AuditedCall {
  readonly caller: string;
  readonly server: string;
  readonly tool: string;
  readonly outcome: string;
  readonly errorCode?: string;
}

/** The newest calls in the audit log, keyed by call id. */
export async function auditRecords(api: WardenApi): Promise<Map<string, AuditedCall>> {
  const calls = await api.recentAuditCalls(500);
  return new Map(
    calls.map((c) => [c.id, { caller: c.caller, server: c.server, tool: c.tool, outcome: c.status, ...(c.errorCode !== undefined && { errorCode: c.errorCode }) }]),
  );
}
