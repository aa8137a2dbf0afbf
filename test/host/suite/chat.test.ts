import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { COMMANDS, TEXT_ONLY_MODEL, TOOL_CALLING_MODEL, messageText, type RecordedRequest } from '../../fixtures/scripted-model/script';
import { ask, auditRecords, lastTranscript, newChat, requestsTo, send, setScript, type ChatOutcome } from './chatSession';
import { serverState, warden } from './wardenApi';

const SCRIPTED_MODEL_EXTENSION = 'warden-test.scripted-model';
const VALID_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

async function setRules(rules: object[]): Promise<void> {
  await vscode.workspace.getConfiguration('warden').update('policy.rules', rules, vscode.ConfigurationTarget.Global);
}

function calls(outcome: ChatOutcome): { tool: string; target?: string; outcome: string; auditId: string }[] {
  const recorded = outcome.metadata?.warden?.calls;
  assert.ok(recorded, `the result carries no call records: ${JSON.stringify(outcome)}`);
  return recorded.map(({ tool, target, outcome: ended, auditId }) => ({ tool, ...(target !== undefined && { target }), outcome: ended, auditId }));
}

function lastMessage(request: RecordedRequest | undefined): RecordedRequest['messages'][number] {
  const message = request?.messages.at(-1);
  assert.ok(message, 'the request has no messages');
  return message;
}

function nextConfirmation(api: WardenApi): Promise<{ server: string; tool: string }> {
  return new Promise((resolve) => {
    const subscription = api.onDidAskToConfirm((asked) => {
      subscription.dispose();
      resolve(asked);
    });
  });
}

/**
 * Accepts Warden's confirmation the way a person does. The quick pick opens in the workbench a
 * moment after the extension host asks for it, and a command sent before then does nothing, so
 * the answer is repeated until the chat response settles (at most 50 times).
 */
async function acceptUntil(settles: Promise<unknown>): Promise<void> {
  let settled = false;
  void settles.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let attempt = 0; attempt < 50 && !settled; attempt++) {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await Promise.race([settles.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

describe('the @warden chat participant', () => {
  let api: WardenApi;
  let scratch: string;
  let workspaceFolder: string;

  before(async () => {
    api = await warden();
    await serverState(api, 'fs', (s) => s.kind === 'running');
    const models = vscode.extensions.getExtension(SCRIPTED_MODEL_EXTENSION);
    assert.ok(models, `${SCRIPTED_MODEL_EXTENSION} is not installed: the host test runner places it in the test profile`);
    await models.activate();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-chat-test-'));
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in the demo workspace');
    workspaceFolder = folder.uri.fsPath;
  });

  beforeEach(async () => {
    await newChat();
  });

  afterEach(async () => {
    await setRules([]);
  });

  after(async () => {
    await newChat();
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(path.join(workspaceFolder, 'logs'), { recursive: true, force: true });
  });

  it('answers with native tool calls, every call through the gate as the participant', async () => {
    await setScript(TOOL_CALLING_MODEL, [
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'src/app.ts' } }] },
      { kind: 'call', calls: [{ tool: 'fs__list_dir', arguments: { path: 'src/util' } }] },
      { kind: 'answer', text: 'src/app.ts exports `{0}`; src/util holds `{1}`.', quotes: ['export function (\\w+)', '"(format\\.ts)"'] },
    ]);
    const outcome = await ask(TOOL_CALLING_MODEL, '@warden What does src/app.ts export?');

    assert.strictEqual(outcome.errorDetails, undefined);
    assert.strictEqual(outcome.metadata?.warden?.mode, 'native');
    assert.strictEqual(outcome.metadata?.warden?.rounds, 3);
    const made = calls(outcome);
    assert.deepStrictEqual(
      made.map(({ tool, target, outcome: ended }) => ({ tool, target, outcome: ended })),
      [
        { tool: 'fs.read_text', target: 'src/app.ts', outcome: 'ok' },
        { tool: 'fs.list_dir', target: 'src/util', outcome: 'ok' },
      ],
    );
    const audit = await auditRecords(api);
    for (const call of made) {
      const record = audit.get(call.auditId);
      assert.ok(record, `no audit record ${call.auditId}`);
      assert.deepStrictEqual([record.caller, `${record.server}.${record.tool}`, record.outcome], ['participant', call.tool, 'ok']);
    }

    const requests = await requestsTo(TOOL_CALLING_MODEL);
    assert.strictEqual(requests.length, 3);
    const offered = requests[0]!.tools;
    const readText = offered.find((t) => t.name === 'fs__read_text');
    const mcpReadText = api.serverTools('fs').find((t) => t.name === 'read_text');
    assert.ok(readText && mcpReadText, `fs__read_text not offered: ${offered.map((t) => t.name).join(', ')}`);
    assert.strictEqual(readText.description, mcpReadText.description);
    assert.deepStrictEqual(readText.inputSchema, mcpReadText.inputSchema);
    for (const tool of offered) assert.match(tool.name, VALID_TOOL_NAME);
    const [call] = requests[1]!.messages.at(-2)!.parts.filter((p) => p.kind === 'toolCall');
    const [result] = lastMessage(requests[1]).parts.filter((p) => p.kind === 'toolResult');
    assert.ok(call?.kind === 'toolCall' && result?.kind === 'toolResult', 'the second request carries the call and its result');
    assert.strictEqual(result.callId, call.callId);
    assert.match(result.text, /export function openOrders/);

    const shown = await lastTranscript(scratch);
    assert.match(shown.markdown, /src\/app\.ts exports `openOrders`; src\/util holds `format\.ts`\./);
    assert.deepStrictEqual(shown.progress, ['Reading src/app.ts…', 'Listing src/util…']);
    assert.deepStrictEqual(shown.references, [path.join(workspaceFolder, 'src', 'app.ts'), path.join(workspaceFolder, 'src', 'util')]);
  });

  it('offers tools as text to a model without tool calling, and lets it correct a malformed block', async () => {
    await setScript(TEXT_ONLY_MODEL, [
      { kind: 'raw', text: 'Let me look.\n\n```tool\n{"tool": "fs__read_text", "arguments": {"path": "src/util/format.ts"}\n```\n' },
      { kind: 'call', say: 'Once more, as valid JSON.', calls: [{ tool: 'fs__read_text', arguments: { file: 'src/util/format.ts' } }] },
      { kind: 'call', say: 'With the right argument.', calls: [{ tool: 'fs__read_text', arguments: { path: 'src/util/format.ts' } }] },
      { kind: 'answer', text: 'It exports `{0}`.', quotes: ['export function (\\w+)'] },
    ]);
    const outcome = await ask(TEXT_ONLY_MODEL, '@warden What does src/util/format.ts export?');

    assert.strictEqual(outcome.metadata?.warden?.mode, 'text');
    assert.strictEqual(outcome.metadata?.warden?.rounds, 4);
    const made = calls(outcome);
    assert.deepStrictEqual(made.map((c) => [c.tool, c.outcome]), [['fs.read_text', 'failed'], ['fs.read_text', 'ok']]);
    const audit = await auditRecords(api);
    assert.deepStrictEqual(made.map((c) => [audit.get(c.auditId)?.caller, audit.get(c.auditId)?.errorCode]), [['participant', 'INVALID_ARGUMENTS'], ['participant', undefined]]);

    const requests = await requestsTo(TEXT_ONLY_MODEL);
    assert.strictEqual(requests.length, 4);
    assert.deepStrictEqual(requests[0]!.tools, [], 'no tools go through the API to a model without tool calling');
    const instructions = messageText(requests[0]!.messages[0]!);
    assert.match(instructions, /```tool/);
    assert.match(instructions, /## fs__read_text/);
    assert.ok(instructions.includes(JSON.stringify(api.serverTools('fs').find((t) => t.name === 'read_text')?.inputSchema)), 'the schema is in the prompt');
    assert.match(messageText(lastMessage(requests[1])), /Tool block 1 is not valid JSON/);
    assert.match(messageText(lastMessage(requests[2])), /Tool block for fs__read_text failed:\nfs__read_text was not run \(INVALID_ARGUMENTS\): .*path/);
    assert.match(messageText(lastMessage(requests[3])), /Result of fs__read_text:\n[\s\S]*export function formatMoney/);

    const shown = await lastTranscript(scratch);
    assert.strictEqual(shown.markdown, 'Let me look.\n\nOnce more, as valid JSON.\n\nWith the right argument.\n\nIt exports `formatMoney`.');
    assert.doesNotMatch(shown.markdown, /```tool/, 'tool blocks are not shown');
    assert.deepStrictEqual(shown.progress, ['Reading src/util/format.ts…', 'Reading src/util/format.ts…']);
  });

  it('feeds tool errors and refusals back to the model, which recovers', async () => {
    await setRules([
      { id: 'docs-only', server: 'fs', tool: 'read_text', caller: 'participant', effect: 'allow', constraints: { paths: ['docs/**', 'src/missing.ts'] } },
      { id: 'no-stat', server: 'fs', tool: 'stat', effect: 'deny' },
    ]);
    await setScript(TOOL_CALLING_MODEL, [
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'src/missing.ts' } }, { tool: 'fs__read_text', arguments: { path: 'README.md' } }] },
      { kind: 'call', calls: [{ tool: 'fs__stat', arguments: { path: 'README.md' } }] },
      { kind: 'answer', text: 'Missing: {0}. Refused: {1}. Unknown: {2}.', quotes: ['Not found: ("[^"]+")', '(No policy rule allows participant to call fs\\.read_text)', 'There is no tool named "(fs__stat)"'] },
    ]);
    const outcome = await ask(TOOL_CALLING_MODEL, '@warden Read src/missing.ts and README.md');

    const made = calls(outcome);
    assert.deepStrictEqual(made.map((c) => [c.tool, c.target, c.outcome]), [
      ['fs.read_text', 'src/missing.ts', 'tool-error'],
      ['fs.read_text', 'README.md', 'denied'],
    ]);
    const audit = await auditRecords(api);
    assert.deepStrictEqual(made.map((c) => [audit.get(c.auditId)?.caller, audit.get(c.auditId)?.outcome, audit.get(c.auditId)?.errorCode]), [
      ['participant', 'tool-error', undefined],
      ['participant', 'denied', 'POLICY_DENIED'],
    ]);
    const requests = await requestsTo(TOOL_CALLING_MODEL);
    assert.ok(!requests[0]!.tools.some((t) => t.name === 'fs__stat'), 'a tool a rule denies is not offered');
    const results = lastMessage(requests[1]).parts.flatMap((p) => (p.kind === 'toolResult' ? [p.text] : []));
    assert.strictEqual(results.length, 2, 'each call gets its result');
    assert.match(results[0]!, /^fs__read_text reported an error: Not found/);
    assert.match(results[1]!, /^fs__read_text was not run \(POLICY_DENIED\): No policy rule allows participant/);
    const shown = await lastTranscript(scratch);
    assert.match(shown.markdown, /Missing: "src\/missing\.ts"\. Refused: No policy rule allows participant to call fs\.read_text\. Unknown: fs__stat\./);
    assert.deepStrictEqual(shown.references, [], 'nothing was read');
  });

  it('asks before a call the policy wants confirmed, and runs it once allowed', async () => {
    await setRules([{ id: 'ask-first', server: 'fs', tool: 'read_text', caller: 'participant', effect: 'confirm' }, { server: 'fs', effect: 'allow' }]);
    await setScript(TOOL_CALLING_MODEL, [
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'README.md' } }] },
      { kind: 'answer', text: 'The title is "{0}".', quotes: ['# (Acme Shop[^\n]*)'] },
    ]);
    const asked = nextConfirmation(api);
    const answered = ask(TOOL_CALLING_MODEL, '@warden What is the README title?');
    assert.deepStrictEqual(await asked, { server: 'fs', tool: 'read_text' });
    await acceptUntil(answered);
    const outcome = await answered;

    assert.deepStrictEqual(calls(outcome).map((c) => [c.tool, c.outcome]), [['fs.read_text', 'ok']]);
    assert.match((await lastTranscript(scratch)).markdown, /The title is "Acme Shop \(Warden demo workspace\)"\./);
  });

  it('lists the tools it offers with /tools, noting which ask first and which are withheld', async () => {
    await setRules([
      { id: 'no-listing', server: 'fs', tool: 'list_dir', caller: 'participant', effect: 'deny' },
      { id: 'ask-first', server: 'fs', tool: 'search', caller: 'participant', effect: 'confirm' },
      { server: 'fs', effect: 'allow' },
    ]);
    const outcome = await ask(TOOL_CALLING_MODEL, '@warden /tools');

    assert.strictEqual(outcome.metadata?.warden?.command, 'tools');
    const shown = await lastTranscript(scratch);
    assert.match(shown.markdown, /Warden offers \d+ tools to \*\*Scripted \\\(tool calls\\\)\*\*, through its own tool calling/);
    assert.match(shown.markdown, /### Filesystem \(`fs`\)/);
    assert.match(shown.markdown, /- `fs__read_text`: Read text file/);
    assert.match(shown.markdown, /- `fs__search`[^\n]*asks you first: rule "ask-first" asks for confirmation/);
    assert.match(shown.markdown, /~~`list_dir`~~ not offered: denied by rule "no-listing"/);
    assert.doesNotMatch(shown.markdown, /`fs__list_dir`/);
  });

  it('summarises the calls of the conversation with /audit', async () => {
    await setScript(TOOL_CALLING_MODEL, [
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'docs/guide.md' } }, { tool: 'fs__list_dir', arguments: { path: 'docs' } }] },
      { kind: 'answer', text: 'Done.' },
    ]);
    const first = calls(await ask(TOOL_CALLING_MODEL, '@warden What is in docs?'));
    const outcome = await ask(TOOL_CALLING_MODEL, '@warden /audit');

    assert.strictEqual(outcome.metadata?.warden?.command, 'audit');
    const shown = await lastTranscript(scratch);
    assert.match(shown.markdown, /\*\*2 tool calls\*\* in 1 answer of this conversation: 2 ok\./);
    assert.match(shown.markdown, new RegExp(`\\| 1 \\| \`fs\\.read_text\` \\| \`docs/guide\\.md\` \\| ok \\| \\d+ ms \\| \`${first[0]!.auditId}\` \\|`));
    assert.match(shown.markdown, new RegExp(`\\| 2 \\| \`fs\\.list_dir\` \\| \`docs\` \\| ok \\| \\d+ ms \\| \`${first[1]!.auditId}\` \\|`));
  });

  it('cuts a result that would flood the conversation, saying how to get the rest', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${String(i + 1).padStart(4, '0')}: ${'x'.repeat(30)}`);
    fs.mkdirSync(path.join(workspaceFolder, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(workspaceFolder, 'logs', 'big.log'), `${lines.join('\n')}\n`);
    const total = lines.join('\n').length + 1;
    await setScript(TOOL_CALLING_MODEL, [
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'logs/big.log' } }] },
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'logs/big.log' }, argumentsFromResult: { startLine: 'startLine (\\d+) for more' } }] },
      { kind: 'answer', text: 'The second read starts at line {0}.', quotes: ['^line (\\d+):'] },
    ]);
    await ask(TOOL_CALLING_MODEL, '@warden Summarise logs/big.log');

    const requests = await requestsTo(TOOL_CALLING_MODEL);
    const [first] = lastMessage(requests[1]).parts.filter((p) => p.kind === 'toolResult');
    assert.ok(first?.kind === 'toolResult');
    const note = /\n\[cut: ([\d,]+) of ([\d,]+) characters shown; call fs__read_text with startLine (\d+) for more\]$/.exec(first.text);
    assert.ok(note, `no cut note at the end of: …${first.text.slice(-200)}`);
    assert.strictEqual(Number(note[2]!.replace(/,/g, '')), total);
    const nextLine = Number(note[3]);
    const shownLines = first.text.slice(0, note.index).split('\n');
    assert.strictEqual(shownLines.at(-1), `line ${String(nextLine - 1).padStart(4, '0')}: ${'x'.repeat(30)}`, 'the cut ends on a whole line');
    const [again] = requests[2]!.messages.at(-2)!.parts.filter((p) => p.kind === 'toolCall');
    assert.ok(again?.kind === 'toolCall');
    assert.deepStrictEqual(again.input, { path: 'logs/big.log', startLine: nextLine });
    const [second] = lastMessage(requests[2]).parts.filter((p) => p.kind === 'toolResult');
    assert.ok(second?.kind === 'toolResult' && second.text.startsWith(`line ${String(nextLine).padStart(4, '0')}:`));
    const sent = requests[2]!.messages.reduce((n, m) => n + messageText(m).length, 0);
    assert.ok(sent / 4 < 16_000 * 0.85, `the last request holds ${sent} characters, more than the model's input limit allows`);
    assert.match((await lastTranscript(scratch)).markdown, new RegExp(`The second read starts at line ${String(nextLine).padStart(4, '0')}\\.`));
  });

  it('stops after a bounded number of rounds and says why', async () => {
    await setScript(
      TOOL_CALLING_MODEL,
      Array.from({ length: 10 }, () => ({ kind: 'call' as const, calls: [{ tool: 'fs__list_dir', arguments: { path: 'docs' } }] })),
    );
    const outcome = await ask(TOOL_CALLING_MODEL, '@warden Keep listing docs');

    assert.strictEqual(outcome.metadata?.warden?.stopped, 'round-limit');
    assert.strictEqual(outcome.metadata?.warden?.rounds, 8);
    assert.strictEqual(calls(outcome).length, 7);
    assert.strictEqual((await requestsTo(TOOL_CALLING_MODEL)).length, 8);
    assert.match((await lastTranscript(scratch)).markdown, /Warden stopped after 8 requests to the model: it still wanted to call `fs__list_dir` after 7 tool calls\./);
  });

  it('reports a failing model clearly, keeping the calls made so far', async () => {
    await setScript(TOOL_CALLING_MODEL, [
      { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'README.md' } }] },
      { kind: 'fail', message: 'the scripted model is out of tokens' },
    ]);
    const outcome = await ask(TOOL_CALLING_MODEL, '@warden Read README.md');

    assert.match(outcome.errorDetails?.message ?? '', /^The chat model Scripted \(tool calls\) failed: .*the scripted model is out of tokens.*\. Ask again, or pick another model in the chat view\.$/);
    assert.strictEqual(outcome.metadata?.warden?.stopped, 'model-error');
    assert.deepStrictEqual(calls(outcome).map((c) => [c.tool, c.outcome]), [['fs.read_text', 'ok']]);
  });

  it('stops the loop when the request is cancelled', async () => {
    await setScript(TOOL_CALLING_MODEL, [{ kind: 'hang' }, { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'README.md' } }] }]);
    const received = vscode.commands.executeCommand<string>(COMMANDS.nextRequest);
    const cancelled = vscode.commands.executeCommand<string>(COMMANDS.nextCancellation);
    const answered = send(TOOL_CALLING_MODEL, '@warden Read README.md');
    assert.strictEqual(await received, TOOL_CALLING_MODEL);
    await vscode.commands.executeCommand('workbench.action.chat.cancel');
    assert.strictEqual(await cancelled, TOOL_CALLING_MODEL);
    await answered;

    // A later conversation completes; the cancelled one never asked the model again.
    await newChat();
    await setScript(TEXT_ONLY_MODEL, [{ kind: 'answer', text: 'Still here.' }]);
    await ask(TEXT_ONLY_MODEL, '@warden Are you there?');
    const requests = await requestsTo(TOOL_CALLING_MODEL);
    assert.deepStrictEqual(requests.map((r) => r.cancelled), [true]);
  });
});
