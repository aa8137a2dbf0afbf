import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tool } from '../../src/core/protocol/types';
import { decideRetry, type RetryInput } from '../../src/core/host/retryPolicy';
import { WardenError } from '../../src/core/util/errors';

const options = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000 };
const readOnly: Tool = { name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } };
const idempotent: Tool = { name: 'put', inputSchema: { type: 'object' }, annotations: { idempotentHint: true } };
const plain: Tool = { name: 'send', inputSchema: { type: 'object' } };
const crashed = new WardenError('SERVER_CRASHED', 'The server exited with code 1 before answering.');

function input(overrides: Partial<RetryInput>): RetryInput {
  return { error: crashed, tool: readOnly, annotationsTrusted: true, retries: 0, cancelled: false, ...overrides };
}

describe('decideRetry', () => {
  it('retries a read-only or idempotent tool after a crash, with exponential full jitter', () => {
    assert.deepEqual(decideRetry(input({}), options, () => 0.5), { retry: true, delayMs: 50 });
    assert.deepEqual(decideRetry(input({ tool: idempotent, retries: 1 }), options, () => 0.5), { retry: true, delayMs: 100 });
    assert.deepEqual(decideRetry(input({}), options, () => 0), { retry: true, delayMs: 0 });
    assert.deepEqual(decideRetry(input({ retries: 1 }), { ...options, maxRetries: 5, maxDelayMs: 150 }, () => 0.999), { retry: true, delayMs: 149 });
  });

  const refusals: [string, Partial<RetryInput>, RegExp][] = [
    ['after the caller cancelled', { cancelled: true }, /cancelled/],
    ['after a timeout of the call itself', { error: new WardenError('TIMEOUT', 'timed out') }, /only calls lost to a crash/],
    ['after invalid arguments', { error: new WardenError('INVALID_ARGUMENTS', 'bad') }, /only calls lost to a crash/],
    ['after a JSON-RPC error answer', { error: new WardenError('SERVER_ERROR', 'failed') }, /only calls lost to a crash/],
    ['after a broken answer', { error: new WardenError('PROTOCOL_ERROR', 'too large') }, /only calls lost to a crash/],
    ['more than twice', { retries: 2 }, /already retried 2 times/],
    ['a tool not marked safe to repeat', { tool: plain }, /not marked read-only or idempotent/],
    ['a tool that is gone', { tool: undefined }, /not marked read-only or idempotent/],
    ['on annotations that are not trusted', { annotationsTrusted: false }, /not trusted/],
  ];
  for (const [what, overrides, why] of refusals) {
    it(`does not retry ${what}`, () => {
      const decision = decideRetry(input(overrides), options, () => 0.5);
      assert.equal(decision.retry, false);
      assert.match(decision.retry ? '' : decision.why, why);
    });
  }
});
