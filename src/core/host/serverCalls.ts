/**
 * The path of one tool call through a supervised server: held back if its definition awaits
 * approval, refused at once while the circuit is open, queued for one of the server's call slots,
 * sent once the server runs, and retried after a crash when that is safe (see `retryPolicy.ts`).
 * One deadline covers the whole path, so the caller gets TIMEOUT when its timeout is up, whether
 * the call was waiting or running. A call that timed out while running makes the server prove it
 * still listens (`HealthMonitor.checkAfterTimeout`).
 */
import { CallDeadline } from '../client/callDeadline';
import type { CallOptions, McpClient } from '../client/mcpClient';
import type { CallToolResult, JsonObject, Tool } from '../protocol/types';
import type { Clock } from '../util/clock';
import type { Disposable } from '../util/disposable';
import { WardenError, errorMessage } from '../util/errors';
import { CircuitBreaker, type CircuitTicket } from './circuitBreaker';
import { ConcurrencyLimiter, QueueFullError } from './concurrencyLimiter';
import type { HealthMonitor } from './healthMonitor';
import { decideRetry } from './retryPolicy';
import type { SupervisionOptions } from './supervisionOptions';

export interface ToolCallOptions extends Omit<CallOptions, 'deadline'> {
  /**
   * Whether the tool's annotations (readOnlyHint, idempotentHint) may be believed when deciding to
   * retry after a crash. Default: the server is built in.
   */
  readonly annotationsTrusted?: boolean;
}

export interface LiveSession {
  readonly client: McpClient;
  readonly health: HealthMonitor;
}

/** What the call path needs from the server that owns it. */
export interface CallHost {
  readonly label: string;
  readonly annotationsTrusted: boolean;
  tool(name: string): Tool | undefined;
  toolNames(): string[];
  heldBack(name: string): WardenError | undefined;
  /** Resolves once the server runs; rejects with SERVER_NOT_RUNNING, or with `signal.reason`. */
  whenRunning(signal: AbortSignal): Promise<LiveSession>;
}

export class ServerCalls implements Disposable {
  readonly breaker: CircuitBreaker;
  readonly limiter: ConcurrencyLimiter;

  constructor(
    private readonly host: CallHost,
    private readonly options: SupervisionOptions,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.breaker = new CircuitBreaker(() => host.label, options.circuit, clock);
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentCalls, options.maxQueuedCalls);
  }

  async call(name: string, args: JsonObject, options: ToolCallOptions): Promise<CallToolResult> {
    const deadline = CallDeadline.start({
      timeoutMs: options.timeoutMs,
      ...(options.maxTotalMs !== undefined ? { maxTotalMs: options.maxTotalMs } : this.options.maxCallMs !== undefined && { maxTotalMs: this.options.maxCallMs }),
      ...(options.signal && { signal: options.signal }),
      clock: this.clock,
    });
    const trusted = options.annotationsTrusted ?? this.host.annotationsTrusted;
    // The definition the call was sent under: after a crash the server lists no tools until it runs again.
    const sent: { tool?: Tool } = {};
    try {
      for (let retries = 0; ; retries++) {
        try {
          return await this.attempt(name, args, options, deadline, sent);
        } catch (error) {
          const input = { error, tool: sent.tool ?? this.host.tool(name), annotationsTrusted: trusted, retries, cancelled: deadline.cancelled };
          const decision = decideRetry(input, this.options.retry, this.random);
          if (!decision.retry) throw retries > 0 ? afterRetries(error, retries) : error;
          this.log(`Retrying the tool "${name}" call in ${decision.delayMs} ms (retry ${retries + 1} of ${this.options.retry.maxRetries}): ${errorMessage(error)}`);
          await this.pause(decision.delayMs, deadline, name, error);
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  dispose(): void {
    this.breaker.dispose();
  }

  private async attempt(
    name: string,
    args: JsonObject,
    options: ToolCallOptions,
    deadline: CallDeadline,
    sent: { tool?: Tool },
  ): Promise<CallToolResult> {
    const what = `tool "${name}"`;
    const held = this.host.heldBack(name);
    if (held) throw held;
    this.breaker.check();
    const slot = await this.limiter.acquire(deadline.signal).catch((error: unknown) => {
      throw this.waitError(error, deadline, what, `waiting for a free slot on server "${this.host.label}"`);
    });
    try {
      const session = await this.host.whenRunning(deadline.signal).catch((error: unknown) => {
        throw this.waitError(error, deadline, what, `waiting for server "${this.host.label}" to start`);
      });
      sent.tool = this.host.tool(name);
      if (!sent.tool) {
        throw new WardenError('TOOL_NOT_FOUND', `Server "${this.host.label}" has no tool "${name}". Its tools: ${this.host.toolNames().join(', ') || 'none'}.`);
      }
      const heldNow = this.host.heldBack(name);
      if (heldNow) throw heldNow;
      const ticket = this.breaker.admit();
      try {
        const result = await session.client.callTool(name, args, {
          timeoutMs: deadline.timeoutMs,
          deadline,
          ...(options.onProgress && { onProgress: options.onProgress }),
        });
        ticket.succeeded();
        return result;
      } catch (error) {
        this.report(ticket, error, session, what);
        throw error;
      }
    } finally {
      slot.dispose();
    }
  }

  /** Tells the breaker what a failed call says about the server, and checks on a timed-out one. */
  private report(ticket: CircuitTicket, error: unknown, session: LiveSession, what: string): void {
    const code = error instanceof WardenError ? error.code : 'SERVER_ERROR';
    switch (code) {
      case 'TIMEOUT':
        ticket.failed(`the ${what} call timed out`);
        void session.health.checkAfterTimeout(what);
        return;
      case 'SERVER_CRASHED':
      case 'PROTOCOL_ERROR':
        ticket.failed(errorMessage(error), session.client.isClosed ? session.client : undefined);
        return;
      case 'CANCELLED':
        ticket.abandoned();
        return;
      default:
        // An answer, even an error answer (invalid arguments, a JSON-RPC error): the server listens.
        ticket.succeeded();
    }
  }

  /** The error for a call that never reached the server: the queue was full, or its wait ended. */
  private waitError(error: unknown, deadline: CallDeadline, what: string, waiting: string): unknown {
    if (error instanceof QueueFullError) {
      const { active, queued } = error.counts;
      return new WardenError(
        'QUEUE_FULL',
        `Server "${this.host.label}" is busy: ${active} call${active === 1 ? ' is' : 's are'} running and ${queued} ${queued === 1 ? 'is' : 'are'} waiting, the most it queues. Try again when some have finished.`,
        error.counts,
      );
    }
    if (deadline.cancelled) return new WardenError('CANCELLED', `The ${what} call was cancelled while ${waiting}.`);
    if (deadline.expiry) return deadline.timeoutError(what, { waiting });
    return error;
  }

  private pause(ms: number, deadline: CallDeadline, name: string, cause: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        timer.dispose();
        const base = deadline.cancelled
          ? new WardenError('CANCELLED', `The tool "${name}" call was cancelled before it was retried.`)
          : deadline.timeoutError(`tool "${name}"`, { waiting: `before it could be retried (${errorMessage(cause)})` });
        reject(base);
      };
      const timer = this.clock.setTimer(ms, () => {
        deadline.signal.removeEventListener('abort', onAbort);
        resolve();
      });
      if (deadline.signal.aborted) onAbort();
      else deadline.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function afterRetries(error: unknown, retries: number): unknown {
  if (!(error instanceof WardenError)) return error;
  return new WardenError(error.code, `${error.message} (Warden retried the call ${retries} time${retries === 1 ? '' : 's'}.)`, error.details);
}
