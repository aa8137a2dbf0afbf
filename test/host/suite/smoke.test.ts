import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'warden-dev.warden';

describe('Warden in a real VS Code', () => {
  it('is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this VS Code`);
    await ext.activate();
    assert.ok(ext.isActive, `extension ${EXTENSION_ID} did not become active`);
  });
});
