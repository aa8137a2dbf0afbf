import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, warden } from './wardenApi';

describe('Warden in a real VS Code', () => {
  it('is installed and activates with its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const api = await warden();
    assert.ok(extension.isActive);
    assert.ok(api.auditLogDirectory.endsWith('audit'));
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['warden.restartServer', 'warden.showServerLog', 'warden.runTool']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });
});
