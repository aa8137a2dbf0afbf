import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { serverState, textOf, warden } from './wardenApi';

const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
}

async function setRules(rules: object[]): Promise<void> {
  await vscode.workspace.getConfiguration('warden').update('policy.rules', rules, vscode.ConfigurationTarget.Global);
}

function lastAudit(api: WardenApi): { tool: string; errorCode?: string; message?: string } {
  const lines = readFileSync(api.auditLogPath, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { tool: string; errorCode?: string; message?: string };
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
 * Answers Warden's quick pick the way a person does, with workbench commands. The pick opens in
 * the workbench a moment after the extension host asks for it, and a command sent before then
 * does nothing, so the answer is repeated until the call settles (at most 50 times).
 */
async function answer(call: Promise<unknown>, command: string): Promise<void> {
  let settled = false;
  void call.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let attempt = 0; attempt < 50 && !settled; attempt++) {
    await vscode.commands.executeCommand(command);
    await Promise.race([call.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

describe('the policy gate in VS Code', () => {
  let api: WardenApi;

  before(async () => {
    api = await warden();
    await serverState(api, 'fs', (s) => s.kind === 'running');
  });

  afterEach(async () => {
    await setRules([]);
  });

  it('denies a call a user rule denies, saying which rule and how to change it', async () => {
    await setRules([{ id: 'no-listing', server: 'fs', tool: 'list_dir', effect: 'deny' }, { server: 'fs', effect: 'allow' }]);
    await assert.rejects(invoke('warden_fs_list_dir', { path: 'src' }), (error: Error) => {
      assert.match(error.message, /Denied by rule "no-listing"\. Change or remove it in the setting warden\.policy\.rules\./);
      return true;
    });
    const record = lastAudit(api);
    assert.strictEqual(record.tool, 'list_dir');
    assert.strictEqual(record.errorCode, 'POLICY_DENIED');
    assert.ok(textOf(await invoke('warden_fs_read_text', { path: 'README.md' })).includes('Acme Shop'), 'other tools still run');
  });

  it('rate-limits a burst of model calls', async () => {
    await setRules([{ id: 'slowly', server: 'fs', effect: 'allow', rateLimit: { perMinute: 2, burst: 2 } }]);
    await invoke('warden_fs_read_text', { path: 'README.md' });
    await invoke('warden_fs_read_text', { path: 'README.md' });
    await assert.rejects(invoke('warden_fs_read_text', { path: 'README.md' }), /Rate limit reached: copilot may call fs\.read_text 2 times a minute/);
    assert.strictEqual(lastAudit(api).errorCode, 'RATE_LIMITED');
  });

  it('asks before a call a rule wants confirmed, and runs it once allowed', async () => {
    await setRules([{ id: 'ask-first', server: 'fs', tool: 'list_dir', effect: 'confirm' }, { server: 'fs', effect: 'allow' }]);
    const asked = nextConfirmation(api);
    const call = invoke('warden_fs_list_dir', { path: 'docs' });
    assert.deepStrictEqual(await asked, { server: 'fs', tool: 'list_dir' });
    await answer(call, 'workbench.action.acceptSelectedQuickOpenItem');
    assert.match(textOf(await call), /guide\.md/);
  });

  it('refuses the call when the person dismisses the question', async () => {
    await setRules([{ id: 'ask-first', server: 'fs', tool: 'list_dir', effect: 'confirm' }, { server: 'fs', effect: 'allow' }]);
    const asked = nextConfirmation(api);
    const call = invoke('warden_fs_list_dir', { path: 'docs' });
    await asked;
    await answer(call, 'workbench.action.closeQuickOpen');
    await assert.rejects(call, /was not confirmed/);
    assert.strictEqual(lastAudit(api).errorCode, 'CONFIRMATION_DECLINED');
  });
});
