import * as assert from 'assert';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { answerQuickPick } from './quickPick';
import { serverState, textOf, warden } from './wardenApi';

const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
}

async function setRules(rules: object[]): Promise<void> {
  await vscode.workspace.getConfiguration('warden').update('policy.rules', rules, vscode.ConfigurationTarget.Global);
}

async function lastAudit(api: WardenApi): Promise<{ tool: string; errorCode?: string }> {
  const [last] = await api.recentAuditCalls(1);
  if (!last) throw new Error('the audit log has no call');
  return last;
}

function nextConfirmation(api: WardenApi): Promise<{ server: string; tool: string }> {
  return new Promise((resolve) => {
    const subscription = api.onDidAskToConfirm((asked) => {
      subscription.dispose();
      resolve(asked);
    });
  });
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
    const record = await lastAudit(api);
    assert.strictEqual(record.tool, 'list_dir');
    assert.strictEqual(record.errorCode, 'POLICY_DENIED');
    assert.ok(textOf(await invoke('warden_fs_read_text', { path: 'README.md' })).includes('Acme Shop'), 'other tools still run');
  });

  it('rate-limits a burst of model calls', async () => {
    await setRules([{ id: 'slowly', server: 'fs', effect: 'allow', rateLimit: { perMinute: 2, burst: 2 } }]);
    await invoke('warden_fs_read_text', { path: 'README.md' });
    await invoke('warden_fs_read_text', { path: 'README.md' });
    await assert.rejects(invoke('warden_fs_read_text', { path: 'README.md' }), /Rate limit reached: copilot may call fs\.read_text 2 times a minute/);
    assert.strictEqual((await lastAudit(api)).errorCode, 'RATE_LIMITED');
  });

  it('asks before a call a rule wants confirmed, and runs it once allowed', async () => {
    await setRules([{ id: 'ask-first', server: 'fs', tool: 'list_dir', effect: 'confirm' }, { server: 'fs', effect: 'allow' }]);
    const asked = nextConfirmation(api);
    const call = invoke('warden_fs_list_dir', { path: 'docs' });
    assert.deepStrictEqual(await asked, { server: 'fs', tool: 'list_dir' });
    await answerQuickPick(call, 'workbench.action.acceptSelectedQuickOpenItem');
    assert.match(textOf(await call), /guide\.md/);
  });

  it('refuses the call when the person dismisses the question', async () => {
    await setRules([{ id: 'ask-first', server: 'fs', tool: 'list_dir', effect: 'confirm' }, { server: 'fs', effect: 'allow' }]);
    const asked = nextConfirmation(api);
    const call = invoke('warden_fs_list_dir', { path: 'docs' });
    await asked;
    await answerQuickPick(call, 'workbench.action.closeQuickOpen');
    await assert.rejects(call, /was not confirmed/);
    assert.strictEqual((await lastAudit(api)).errorCode, 'CONFIRMATION_DECLINED');
  });
});
