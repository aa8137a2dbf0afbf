import * as assert from 'assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExportResult } from '../../../src/core/audit/exporter';
import type { VerifyReport } from '../../../src/core/audit/verifyReport';
import type { FilterResult } from '../../../src/vscode/audit/auditCommands';
import { serverState, warden } from './wardenApi';

const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none);
}

function run<T>(command: string, ...args: unknown[]): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(command, ...args));
}

const CLEAR = 'warden.audit.clearFilter';

describe('the audit log in VS Code', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'warden-audit-host-'));

  before(async () => {
    const api = await warden();
    await serverState(api, 'fs', (s) => s.kind === 'running');
    await invoke('warden_fs_read_text', { path: 'README.md' });
    await invoke('warden_fs_list_dir', { path: 'docs' });
  });

  after(async () => {
    await run(CLEAR);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('registers the Audit History commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['warden.audit.verify', 'warden.audit.export', 'warden.audit.filter', CLEAR, 'warden.audit.openRecord']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });

  it('lists the newest calls first, filtered by tool', async () => {
    const result = await run<FilterResult>('warden.audit.filter', { tools: ['read_text'] });
    assert.deepStrictEqual(result.filter, { tools: ['read_text'], statuses: [] });
    assert.ok(result.calls.length > 0, 'the read_text call is listed');
    assert.ok(result.calls.every((c) => c.tool === 'read_text'));
    const newest = result.calls[0]!;
    assert.deepStrictEqual([newest.server, newest.tool, newest.caller, newest.status], ['fs', 'read_text', 'copilot', 'ok']);
    const times = result.calls.map((c) => Date.parse(c.time));
    assert.deepStrictEqual(times, [...times].sort((a, b) => b - a));
  });

  it('filters by outcome, and clears the filter', async () => {
    const failures = await run<FilterResult>('warden.audit.filter', { statuses: ['tool-error', 'denied'] });
    assert.ok(failures.calls.every((c) => c.status === 'tool-error' || c.status === 'denied'));
    const all = await run<FilterResult>(CLEAR);
    assert.deepStrictEqual(all.filter, { tools: [], statuses: [] });
    const tools = new Set(all.calls.map((c) => c.tool));
    assert.ok(tools.has('read_text') && tools.has('list_dir'), `both tools are listed: ${[...tools].join(', ')}`);
  });

  it('rejects a filter naming an outcome that does not exist', async () => {
    await assert.rejects(run('warden.audit.filter', { statuses: ['great'] }), /"statuses" must be a list of: ok, tool-error/);
  });

  it('opens a call’s full record read-only, with its redacted arguments and decision', async () => {
    const { calls } = await run<FilterResult>('warden.audit.filter', { tools: ['read_text'] });
    const opened = await run<{ uri: string }>('warden.audit.openRecord', calls[0]!.id);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.strictEqual(editor.document.uri.toString(), opened.uri);
    assert.strictEqual(editor.document.uri.scheme, 'warden-audit');
    const record = JSON.parse(editor.document.getText());
    assert.strictEqual(record.id, calls[0]!.id);
    assert.strictEqual(record.tool, 'fs.read_text');
    assert.strictEqual(record.arguments.path, 'README.md');
    assert.strictEqual(typeof record.decision.ruleId, 'string');
    assert.strictEqual(record.outcome, 'ok');
    assert.match(record.argsSha256, /^[0-9a-f]{64}$/);
  });

  it('verifies the live log', async () => {
    const report = await run<VerifyReport>('warden.audit.verify');
    assert.deepStrictEqual(report.breaks, []);
    assert.ok(report.ok);
    assert.match(report.summary, /^The audit log verifies: \d+ records in \d+ files?, chain intact/);
    assert.ok(report.records > 0);
  });

  it('finds an edit in a copy of the log and says where it is', async () => {
    const live = await run<VerifyReport>('warden.audit.verify');
    const copy = path.join(scratch, 'copy');
    cpSync(path.dirname(live.files[0]!.path), copy, { recursive: true });
    const file = readdirSync(copy)
      .filter((name) => /^audit-\d+\.jsonl$/.test(name))
      .sort()
      .find((name) => readFileSync(path.join(copy, name), 'utf8').includes('"path":"README.md"'));
    assert.ok(file, 'a file records the README.md call');
    const lines = readFileSync(path.join(copy, file), 'utf8').split('\n');
    const index = lines.findIndex((line) => line.includes('"path":"README.md"'));
    lines[index] = lines[index]!.replace('"path":"README.md"', '"path":"SECRETS.md"');
    writeFileSync(path.join(copy, file), lines.join('\n'));

    const report = await run<VerifyReport>('warden.audit.verify', { dir: copy });
    assert.strictEqual(report.ok, false);
    const edited = report.breaks.find((b) => b.kind === 'edited');
    assert.ok(edited, `an edit is reported: ${JSON.stringify(report.breaks)}`);
    assert.strictEqual(edited.file, file);
    assert.strictEqual(edited.line, index + 1);
  });

  it('exports the log as JSON Lines and as CSV to a given path', async () => {
    const jsonl = await run<ExportResult>('warden.audit.export', { format: 'jsonl', path: path.join(scratch, 'audit.jsonl') });
    const lines = readFileSync(jsonl.path, 'utf8').trimEnd().split('\n');
    assert.strictEqual(lines.length, jsonl.records);
    const seqs = lines.map((line) => (JSON.parse(line) as { seq: number }).seq);
    assert.deepStrictEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.ok(lines.some((line) => line.includes('"tool":"list_dir"')));

    const csv = await run<ExportResult>('warden.audit.export', { format: 'csv', path: path.join(scratch, 'audit.csv') });
    const rows = readFileSync(csv.path, 'utf8').split('\r\n');
    assert.strictEqual(rows[0], 'seq,time,kind,id,caller,server,tool,outcome,durationMs,errorCode,message,ruleId');
    assert.ok(rows.some((row) => /,finished,[0-9a-f-]{36},copilot,fs,list_dir,ok,/.test(row)));
  });
});
