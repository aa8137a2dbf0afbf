import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_SECONDS, parseConfig } from '../../src/gateway/config';

const base = path.resolve('/etc/warden');
const serversDir = path.resolve('/opt/warden/servers');

describe('gateway configuration of HTTP sessions', () => {
  it('defaults to 30 idle minutes and 64 sessions, and reads both from "http"', () => {
    assert.deepEqual(parseConfig({}, base, serversDir).http, { sessionIdleMs: DEFAULT_SESSION_IDLE_SECONDS * 1000, maxSessions: DEFAULT_MAX_SESSIONS });
    assert.deepEqual(DEFAULT_SESSION_IDLE_SECONDS * 1000, 30 * 60_000);
    assert.deepEqual(parseConfig({ http: { sessionIdleSeconds: 0.25, maxSessions: 2 } }, base, serversDir).http, { sessionIdleMs: 250, maxSessions: 2 });
  });

  it('refuses an idle time that is not positive and a session count below one', () => {
    for (const http of [{ sessionIdleSeconds: 0 }, { sessionIdleSeconds: -1 }, { maxSessions: 0 }, { maxSessions: 1.5 }, { idle: 1 }]) {
      assert.throws(() => parseConfig({ http }, base, serversDir), ConfigError, JSON.stringify(http));
    }
  });
});
