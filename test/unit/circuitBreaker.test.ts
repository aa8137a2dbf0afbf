import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker, type CircuitState } from '../../src/core/host/circuitBreaker';
import { WardenError } from '../../src/core/util/errors';
import { ManualClock } from '../helpers/manualClock';

function breaker(threshold = 3, coolDownMs = 30_000) {
  const clock = new ManualClock();
  const circuit = new CircuitBreaker(() => 'fx', { failureThreshold: threshold, coolDownMs }, clock);
  const kinds: CircuitState['kind'][] = [];
  circuit.onDidChange((s) => kinds.push(s.kind));
  return { clock, circuit, kinds };
}

/** Read through a function, so one assertion on the kind does not narrow the next. */
function kindOf(circuit: CircuitBreaker): CircuitState['kind'] {
  return circuit.state.kind;
}

function refusal(run: () => unknown): WardenError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WardenError);
    assert.equal(error.code, 'CIRCUIT_OPEN');
    return error;
  }
  assert.fail('expected CIRCUIT_OPEN');
}

describe('CircuitBreaker', () => {
  it('opens after K failures in a row and refuses calls with a message that says for how long', () => {
    const { circuit, kinds } = breaker(3);
    for (let i = 0; i < 2; i++) circuit.admit().failed('the tool "x" call timed out');
    assert.equal(kindOf(circuit), 'closed');
    assert.equal(circuit.consecutiveFailures, 2);
    circuit.admit().failed('the tool "x" call timed out');
    assert.equal(kindOf(circuit), 'open');
    assert.deepEqual(kinds, ['open']);
    const error = refusal(() => circuit.admit());
    assert.equal(
      error.message,
      'Server "fx" failed 3 times in a row (timeouts or crashes; the last: the tool "x" call timed out); Warden stops sending it calls for 30 s. It retries with one call after that, in 30 s.',
    );
    refusal(() => circuit.check());
    circuit.dispose();
  });

  it('counts a success in between as a fresh start', () => {
    const { circuit } = breaker(3);
    circuit.admit().failed('a');
    circuit.admit().failed('b');
    circuit.admit().succeeded();
    circuit.admit().failed('c');
    circuit.admit().failed('d');
    assert.equal(kindOf(circuit), 'closed');
    circuit.dispose();
  });

  it('counts calls lost to one crash as one failure', () => {
    const { circuit } = breaker(3);
    const crash = {};
    const tickets = [circuit.admit(), circuit.admit(), circuit.admit(), circuit.admit()];
    for (const ticket of tickets) ticket.failed('the server exited with code 1', crash);
    assert.equal(circuit.consecutiveFailures, 1);
    assert.equal(kindOf(circuit), 'closed');
    circuit.dispose();
  });

  it('lets one trial call through after the cool-down: success closes, failure opens again', () => {
    const { clock, circuit, kinds } = breaker(1, 1000);
    circuit.admit().failed('crash 1');
    clock.advance(999);
    assert.match(refusal(() => circuit.admit()).message, /failed 1 time in a row .* in 1 ms\.$/);
    clock.advance(1);
    assert.equal(kindOf(circuit), 'half-open');
    const trial = circuit.admit();
    assert.match(refusal(() => circuit.admit()).message, /trying one call and holds the others/);
    trial.failed('crash 2');
    assert.equal(kindOf(circuit), 'open');
    clock.advance(1000);
    const second = circuit.admit();
    second.succeeded();
    second.failed('ignored: a ticket reports once');
    assert.equal(kindOf(circuit), 'closed');
    assert.equal(circuit.consecutiveFailures, 0);
    assert.deepEqual(kinds, ['open', 'half-open', 'open', 'half-open', 'closed']);
    circuit.dispose();
  });

  it('frees the trial slot when the trial call is abandoned', () => {
    const { clock, circuit } = breaker(1, 10);
    circuit.admit().failed('crash');
    clock.advance(10);
    circuit.admit().abandoned();
    assert.equal(kindOf(circuit), 'half-open');
    circuit.admit().succeeded();
    assert.equal(kindOf(circuit), 'closed');
    circuit.dispose();
  });

  it('closes on reset and cancels its cool-down timer', () => {
    const { clock, circuit, kinds } = breaker(1, 10);
    circuit.admit().failed('crash');
    circuit.reset();
    assert.equal(kindOf(circuit), 'closed');
    assert.equal(clock.pendingTimers, 0);
    clock.advance(10);
    assert.deepEqual(kinds, ['open', 'closed']);
    circuit.dispose();
  });
});
