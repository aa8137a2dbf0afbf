/**
 * Supervises one hosted server: launches it, runs the handshake, keeps its tool list and their
 * approval state, watches its health, restarts it after a crash as the restart policy says, and
 * routes tool calls to the live session through `ServerCalls` (approval, circuit breaker,
 * concurrency limit, retries). Start and stop are idempotent, and a stale launch can never
 * overwrite a newer state: every launch carries a generation number that `stop()` and `restart()`
 * advance. The constructor starts nothing.
 */
import { isPermanentStartFailure, isSessionRenewal } from './endings';
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { McpClient, type ClientCounts } from '../client/mcpClient';
import type { CallToolResult, Implementation, JsonObject, Tool } from '../protocol/types';
import { describeExit, type McpTransport, type TransportExit } from '../transport/transport';
import { systemClock, type Clock } from '../util/clock';
import { DisposableStore, type Disposable } from '../util/disposable';
import { WardenError, errorMessage } from '../util/errors';
import type { CircuitState } from './circuitBreaker';
import type { LimiterCounts } from './concurrencyLimiter';
import { listFirstTools } from './firstListing';
import { HealthMonitor } from './healthMonitor';
import type { RestartPolicy } from './restartPolicy';
import { ServerCalls, type LiveSession, type ToolCallOptions } from './serverCalls';
import { describeTarget, type ServerDefinition } from './serverDefinition';
import { describeState, sameState, type ServerState } from './serverState';
import { supervisionOptions, type SupervisionOptions, type SupervisionOverrides } from './supervisionOptions';
import { MemoryToolApprovalStore, type ToolApproval, type ToolApprovalPolicy } from './toolApproval';
import { ToolApprovals } from './toolApprovals';
import { whenReady } from './whenReady';

export type { ToolCallOptions } from './serverCalls';

export interface ServerTimeouts {
  readonly initializeMs: number;
  readonly listToolsMs: number;
}

export interface ManagedServerDeps {
  readonly createTransport: (definition: ServerDefinition) => McpTransport;
  readonly clientInfo: Implementation;
  readonly restartPolicy: RestartPolicy;
  readonly timeouts: ServerTimeouts;
  readonly log: (line: string) => void;
  /** The time of crashes, when no `clock` is given (kept for older callers). */
  readonly now?: () => number;
  /** Time and timers for restarts, timeouts, idle checks and the circuit breaker. */
  readonly clock?: Clock;
  /** A number in [0, 1) for retry jitter; injectable so tests are deterministic. */
  readonly random?: () => number;
  readonly supervision?: SupervisionOverrides;
  /** Where approved tool definitions live, and how new tools are treated. Default: in memory, trust on first use. */
  readonly toolApproval?: ToolApprovalPolicy;
}

/** Counts for leak checks and diagnostics. */
export interface ServerCounts {
  readonly calls: LimiterCounts;
  readonly session?: ClientCounts;
}

export class ManagedServer {
  private stateValue: ServerState = { kind: 'stopped' };
  private readonly stateEmitter = new Emitter<ServerState>();
  private readonly toolsEmitter = new Emitter<readonly Tool[]>();
  private readonly clock: Clock;
  private readonly options: SupervisionOptions;
  private readonly calls: ServerCalls;
  private readonly approvals: ToolApprovals;
  private live: LiveSession | undefined;
  private session = new DisposableStore();
  private generation = 0;
  private crashes: number[] = [];
  /** When the running session began: a server that ends a session it kept a while is not failing. */
  private sessionStartedAt = 0;
  private restartTimer: Disposable | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private stopTargets: { close(): Promise<void> }[] = [];
  /** The transport of a launch still in its handshake. */
  private launching: McpTransport | undefined;

  readonly onDidChangeState: Event<ServerState> = this.stateEmitter.event;
  readonly onDidChangeTools: Event<readonly Tool[]> = this.toolsEmitter.event;
  /** The circuit breaker moved between closed, open and half-open. */
  readonly onDidChangeCircuit: Event<CircuitState>;
  /** A tool's approval changed (a new list, a changed definition, a person's approval). */
  readonly onDidChangeToolApprovals: Event<ReadonlyMap<string, ToolApproval>>;

  constructor(
    private definitionValue: ServerDefinition,
    private readonly deps: ManagedServerDeps,
  ) {
    const now = deps.now;
    this.clock = deps.clock ?? (now ? { now, setTimer: systemClock.setTimer } : systemClock);
    this.options = supervisionOptions(deps.supervision);
    const server = this;
    this.calls = new ServerCalls(
      {
        get label() {
          return server.definitionValue.label;
        },
        get annotationsTrusted() {
          return server.definitionValue.builtin;
        },
        tool: (name) => this.tools.find((t) => t.name === name),
        toolNames: () => this.tools.map((t) => t.name),
        heldBack: (name) => this.approvals.heldBack(name),
        whenRunning: (signal) => this.whenRunning(signal),
      },
      this.options,
      this.clock,
      deps.random ?? Math.random,
      deps.log,
    );
    this.approvals = new ToolApprovals({
      serverId: definitionValue.id,
      label: () => this.definitionValue.label,
      implicit: () => this.definitionValue.approveToolsImplicitly ?? this.definitionValue.builtin,
      policy: deps.toolApproval ?? { store: new MemoryToolApprovalStore(), newTools: 'first-use' },
      log: deps.log,
    });
    this.onDidChangeCircuit = this.calls.breaker.onDidChange;
    this.onDidChangeToolApprovals = this.approvals.onDidChange;
  }

  get id(): string {
    return this.definitionValue.id;
  }

  get definition(): ServerDefinition {
    return this.definitionValue;
  }

  get state(): ServerState {
    return this.stateValue;
  }

  get tools(): readonly Tool[] {
    return this.stateValue.kind === 'running' ? this.stateValue.tools : [];
  }

  /** The circuit breaker: closed (calls flow), open (calls refused) or half-open (one trial call). */
  get circuit(): CircuitState {
    return this.calls.breaker.state;
  }

  /** Per tool of the last list: approved, new or changed, with what was found and what changed. */
  get toolApprovals(): ReadonlyMap<string, ToolApproval> {
    return this.approvals.all;
  }

  get counts(): ServerCounts {
    const session = this.live?.client.counts;
    return { calls: this.calls.limiter.counts, ...(session && { session }) };
  }

  /** Approves a tool's current definition; `hash` is the one the person reviewed. */
  approveTool(name: string, hash: string): Promise<void> {
    return this.approvals.approve(name, hash);
  }

  /** Starts the server unless it is already starting or running. Resolves once it runs or fails. */
  start(): Promise<void> {
    switch (this.stateValue.kind) {
      case 'running':
        return Promise.resolve();
      case 'starting':
        return this.starting ?? Promise.resolve();
      case 'stopping':
        return (this.stopping ?? Promise.resolve()).then(() => this.start());
      case 'restarting':
        this.clearRestartTimer();
        return this.launch(this.stateValue.attempt);
      case 'stopped':
      case 'error':
        this.crashes = [];
        return this.launch(1);
    }
  }

  /** Stops the server; a second call while stopping joins the first and forces the process down. */
  stop(): Promise<void> {
    if (this.stopping) {
      // The transport contract: a second close while one is in flight forces the peer down.
      for (const target of this.stopTargets) void target.close();
      return this.stopping;
    }
    if (this.stateValue.kind === 'stopped') return Promise.resolve();
    this.generation++;
    this.clearRestartTimer();
    const targets: { close(): Promise<void> }[] = [];
    if (this.live) targets.push(this.live.client);
    // A launch still in its handshake is stopped too, so no process outlives a stop.
    if (this.launching) targets.push(this.launching);
    this.stopTargets = targets;
    this.detachSession();
    this.setState({ kind: 'stopping' });
    this.stopping = Promise.all(targets.map((target) => target.close()))
      .then(() => undefined)
      .catch((error: unknown) => this.deps.log(`Stopping failed: ${errorMessage(error)}`))
      .finally(() => {
        this.stopping = undefined;
        this.stopTargets = [];
        this.starting = undefined;
        this.setState({ kind: 'stopped' });
      });
    return this.stopping;
  }

  /** Stops, forgets recent crashes and failures, and starts again. */
  async restart(): Promise<void> {
    this.deps.log('Restart requested.');
    await this.stop();
    this.crashes = [];
    this.calls.breaker.reset();
    await this.launch(1);
  }

  /** Applies a new definition; a running server restarts when its launch changed. */
  async update(definition: ServerDefinition, launchChanged: boolean): Promise<void> {
    this.definitionValue = definition;
    if (launchChanged && this.stateValue.kind !== 'stopped') await this.restart();
  }

  /**
   * Calls a tool. Fails with TOOL_CHANGED or TOOL_NOT_APPROVED while its definition awaits
   * approval, CIRCUIT_OPEN while the server is held back, QUEUE_FULL when too many calls wait,
   * TIMEOUT when `timeoutMs` (reset by progress) is up, CANCELLED when `signal` aborts.
   */
  callTool(name: string, args: JsonObject, options: ToolCallOptions): Promise<CallToolResult> {
    return this.calls.call(name, args, options);
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.calls.dispose();
    this.approvals.dispose();
    this.stateEmitter.dispose();
    this.toolsEmitter.dispose();
  }

  /** Waits through a start or a pending restart, until `signal` aborts. */
  private whenRunning(signal: AbortSignal): Promise<LiveSession> {
    return whenReady<LiveSession>(this.onDidChangeState, signal, () => {
      const state = this.stateValue;
      const live = this.live;
      if (state.kind === 'running' && live) return { ready: live };
      if (state.kind === 'starting' || state.kind === 'restarting') return { wait: true };
      const hint = 'Start it with "Warden: Restart Server".';
      return { failed: new WardenError('SERVER_NOT_RUNNING', `Server "${this.definitionValue.label}" is not running (${describeState(state)}). ${hint}`) };
    });
  }

  private launch(attempt: number): Promise<void> {
    const generation = ++this.generation;
    this.setState({ kind: 'starting', attempt });
    const run = this.connect(generation, attempt);
    this.starting = run;
    return run.finally(() => {
      if (this.starting === run) this.starting = undefined;
    });
  }

  private async connect(generation: number, attempt: number): Promise<void> {
    const definition = this.definitionValue;
    this.deps.log(`Starting: ${describeTarget(definition)}`);
    let client: McpClient | undefined;
    let transport: McpTransport | undefined;
    try {
      transport = this.deps.createTransport(definition);
      this.launching = transport;
      client = await McpClient.connect(transport, {
        clientInfo: this.deps.clientInfo,
        log: this.deps.log,
        initializeTimeoutMs: this.deps.timeouts.initializeMs,
        clock: this.clock,
      });
      const { tools, changedWhileListing } = await listFirstTools(client, this.deps.timeouts.listToolsMs);
      if (generation !== this.generation) {
        await client.close();
        return;
      }
      this.approvals.update(tools);
      this.attachSession(client, generation);
      const info = client.info;
      this.deps.log(`Running ${info.serverInfo.name} ${info.serverInfo.version} (MCP ${info.protocolVersion}) with ${tools.length} tools.`);
      this.setState({ kind: 'running', session: info, tools, ...(client.pid !== undefined && { pid: client.pid }) });
      this.toolsEmitter.fire(tools);
      if (changedWhileListing) {
        this.deps.log('The server said its tool list changed while it was being read; reading it again.');
        void this.refreshTools(generation);
      }
    } catch (error) {
      await client?.close();
      if (generation !== this.generation) return;
      const message = errorMessage(error);
      this.deps.log(`Start failed: ${message}`);
      if (isPermanentStartFailure(error)) {
        this.setState({ kind: 'error', message });
        return;
      }
      this.onCrash(`start failed: ${message}`, attempt);
    } finally {
      if (this.launching === transport) this.launching = undefined;
    }
  }

  private attachSession(client: McpClient, generation: number): void {
    const health = new HealthMonitor(
      client,
      this.options,
      this.clock,
      (reason) => this.onUnresponsive(client, reason, generation),
      this.deps.log,
    );
    this.live = { client, health };
    this.sessionStartedAt = this.clock.now();
    this.session = new DisposableStore();
    this.session.add(health);
    this.session.add(client.onDidClose((exit) => this.onSessionClosed(client, exit, generation)));
    this.session.add(client.onDidChangeTools(() => void this.refreshTools(generation)));
    health.start();
  }

  private detachSession(): void {
    this.session.dispose();
    this.live = undefined;
  }

  private onUnresponsive(client: McpClient, reason: string, generation: number): void {
    if (generation !== this.generation) return;
    client.terminate({ code: 'SERVER_CRASHED', reason }).catch((error: unknown) => this.deps.log(`Could not stop the server: ${errorMessage(error)}`));
  }

  private onSessionClosed(client: McpClient, exit: TransportExit, generation: number): void {
    if (generation !== this.generation) return;
    this.detachSession();
    const terminated = client.terminated;
    const reason = terminated ? `Warden stopped it: ${terminated.reason}` : `the server ${describeExit(exit)}`;
    this.deps.log(terminated ? `The server ${describeExit(exit)} after Warden stopped it.` : `The server ${describeExit(exit)}.`);
    const lived = this.clock.now() - this.sessionStartedAt;
    if (isSessionRenewal(exit, terminated !== undefined, lived)) {
      this.deps.log(`Opening a new session (the last one lasted ${Math.round(lived / 1000)} s).`);
      void this.launch(1);
      return;
    }
    this.onCrash(reason, 1);
  }

  private onCrash(reason: string, attempt: number): void {
    const now = this.clock.now();
    this.crashes = [...this.crashes.filter((t) => now - t < this.deps.restartPolicy.windowMs), now];
    const decision = this.deps.restartPolicy.decide(this.crashes);
    if (decision.action === 'give-up') {
      this.deps.log(`Giving up: ${decision.message}`);
      this.setState({ kind: 'error', message: `${reason.replace(/\.$/, '')}; ${decision.message}` });
      return;
    }
    this.deps.log(`Restarting in ${decision.delayMs} ms (${decision.message}).`);
    const generation = this.generation;
    this.setState({ kind: 'restarting', reason, delayMs: decision.delayMs, attempt: attempt + 1 });
    this.restartTimer = this.clock.setTimer(decision.delayMs, () => {
      this.restartTimer = undefined;
      if (generation === this.generation && this.stateValue.kind === 'restarting') void this.launch(attempt + 1);
    });
  }

  private async refreshTools(generation: number): Promise<void> {
    const client = this.live?.client;
    if (!client || generation !== this.generation) return;
    try {
      const tools = await client.listTools({ timeoutMs: this.deps.timeouts.listToolsMs });
      if (generation !== this.generation || this.stateValue.kind !== 'running') return;
      this.approvals.update(tools);
      const next: ServerState = { ...this.stateValue, tools };
      if (sameState(this.stateValue, next)) {
        this.deps.log(`The server said its tool list changed; it is the same ${tools.length} tools.`);
        return;
      }
      this.deps.log(`Tool list changed: ${tools.length} tools.`);
      this.setState(next);
      this.toolsEmitter.fire(tools);
    } catch (error) {
      this.deps.log(`Could not reload the tool list: ${errorMessage(error)}`);
    }
  }

  private clearRestartTimer(): void {
    this.restartTimer?.dispose();
    this.restartTimer = undefined;
  }

  private setState(next: ServerState): void {
    if (sameState(this.stateValue, next)) return;
    this.stateValue = next;
    this.stateEmitter.fire(next);
  }
}
