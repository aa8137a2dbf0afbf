import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { AuditLog } from '../../src/core/audit/auditLog';
import { auditFolders, MAX_AUDIT_FOLDERS, openGatewayAudit } from '../../src/gateway/auditFolders';

describe('the audit folder of a gateway process', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-audit-'));
  const key = randomBytes(32);
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is the configured folder, then the first free of <dir>-2 … while other writers hold the earlier ones', async () => {
    const dir = path.join(tmp, 'shared', 'audit');
    const lines: string[] = [];
    const first = await openGatewayAudit({ dir, key, durability: 'flush' }, (line) => lines.push(line));
    const second = await openGatewayAudit({ dir, key, durability: 'flush' }, (line) => lines.push(line));
    const third = await openGatewayAudit({ dir, key, durability: 'flush' }, (line) => lines.push(line));
    assert.deepEqual([first.dir, second.dir, third.dir], [dir, `${dir}-2`, `${dir}-3`]);
    assert.equal(lines.length, 2, 'the first one says nothing; each further one says where it writes');
    assert.match(lines[1]!, new RegExp(`audit: ${escape(dir)} \\(process ${process.pid}\\), ${escape(dir)}-2 \\(process ${process.pid}\\) in use by other gateways on this configuration; this one writes ${escape(dir)}-3\\.`));

    await second.close();
    const again = await openGatewayAudit({ dir, key, durability: 'flush' }, () => undefined);
    assert.equal(again.dir, `${dir}-2`, 'a folder is taken again once its writer closed it');
    await Promise.all([first.close(), third.close(), again.close()]);
  });

  it('refuses, naming every folder and its writer, when all of them are held', async () => {
    const dir = path.join(tmp, 'full', 'audit');
    const held: AuditLog[] = [];
    for (let i = 0; i < MAX_AUDIT_FOLDERS; i++) held.push(await openGatewayAudit({ dir, key, durability: 'flush' }, () => undefined));
    assert.deepEqual(held.map((log) => log.dir), auditFolders(dir));
    await assert.rejects(openGatewayAudit({ dir, key, durability: 'flush' }, () => undefined), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^every audit folder of this configuration is in use by another running gateway: /);
      assert.ok(auditFolders(dir).every((folder) => error.message.includes(`${folder} (process ${process.pid})`)), error.message);
      assert.match(error.message, /give this client a configuration with an audit "dir" of its own$/);
      return true;
    });
    await Promise.all(held.map((log) => log.close()));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
