/**
 * The participant's slash commands, as Markdown: `/tools` lists what the model may use, grouped
 * by server, and `/audit` summarises the calls made in this conversation from the call records
 * kept in earlier results' metadata.
 */
import type * as vscode from 'vscode';
import { callsInMetadata, type CallRecord } from './callRecords';
import type { ToolCatalog } from './toolCatalog';
import type { ToolMode } from './toolLoop';

export function toolsMarkdown(catalog: ToolCatalog, modelName: string | undefined, mode: ToolMode): string {
  const lines: string[] = [];
  const how =
    mode === 'native'
      ? 'through its own tool calling'
      : 'described in the prompt (this model cannot call tools itself, so it writes `tool` blocks that Warden runs)';
  if (catalog.offered.length === 0) {
    lines.push('Warden offers no tools to the model right now.');
  } else {
    const count = catalog.offered.length;
    lines.push(`Warden offers ${count} tool${count === 1 ? '' : 's'} to ${modelName ? `**${escapeMarkdown(modelName)}**` : 'the model'}, ${how}. Every call passes your policy and is audited.`);
  }
  for (const server of catalog.servers) {
    const tools = catalog.offered.filter((t) => t.server === server.id);
    const withheld = catalog.withheld.filter((t) => t.server === server.id);
    lines.push('', `### ${escapeMarkdown(server.label)} (${code(server.id)})`);
    if (!server.running) lines.push(`_Not running (${server.state}): its tools come back when it runs. Restart it from the Warden view._`);
    for (const offered of tools) {
      const summary = firstSentence(offered.tool.title ?? offered.tool.description ?? '');
      const asks = offered.confirmation ? ` _(asks you first: ${escapeMarkdown(offered.confirmation)})_` : '';
      lines.push(`- ${code(offered.name)}${summary ? `: ${escapeMarkdown(summary)}` : ''}${asks}`);
    }
    for (const tool of withheld) lines.push(`- ~~${code(tool.tool)}~~ not offered: ${escapeMarkdown(tool.why)}`);
  }
  if (catalog.servers.length === 0) lines.push('', 'No server is configured. Open a trusted folder to start the built-in filesystem server.');
  return lines.join('\n');
}

export function auditMarkdown(history: vscode.ChatContext['history']): string {
  const calls: CallRecord[] = [];
  let answers = 0;
  for (const turn of history) {
    if (!('result' in turn)) continue;
    const recorded = callsInMetadata(turn.result.metadata);
    if (!recorded || recorded.length === 0) continue;
    answers++;
    calls.push(...recorded);
  }
  if (calls.length === 0) return 'No tools were called in this conversation yet.';
  const outcomes = new Map<string, number>();
  for (const call of calls) outcomes.set(call.outcome, (outcomes.get(call.outcome) ?? 0) + 1);
  const tally = [...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  const lines = [
    `**${calls.length} tool call${calls.length === 1 ? '' : 's'}** in ${answers} answer${answers === 1 ? '' : 's'} of this conversation: ${tally}. Each has a record in Warden's audit log under its id.`,
    '',
    '| # | Tool | On | Outcome | Time | Audit id |',
    '|---|------|----|---------|------|----------|',
  ];
  calls.forEach((call, i) => {
    lines.push(`| ${i + 1} | ${cell(code(call.tool))} | ${call.target ? cell(code(call.target)) : ''} | ${cell(call.outcome)} | ${formatDuration(call.durationMs)} | ${cell(code(call.auditId))} |`);
  });
  return lines.join('\n');
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end >= 0 ? flat.slice(0, end + 1) : flat;
  return sentence.length > 160 ? `${sentence.slice(0, 159)}…` : sentence;
}

/** An inline code span that holds any text, backticks included. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`);
}
