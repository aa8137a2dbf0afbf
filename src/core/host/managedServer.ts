/**
 * Supervises one hosted server: launches it, runs the handshake, keeps its tool list, restarts it
 * after a crash as the restart policy says, and routes tool calls to the live session. Start and
 * stop are idempotent, and a stale launch can never overwrite a newer state: every launch carries
 * a generation number that `stop()` and `restart()` advance.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { McpClient, type CallOptions } from '../client/mcpClient';
import type { CallToolResult, Implementation, JsonObject, Tool } from '../protocol/types';
import { describeExit, type McpTransport, type TransportExit } from '../transport/transport';
import { WardenError, errorMessage } from '../util/errors';
import { DisposableStore } from '../util/disposable';
import type { RestartPolicy } from './restartPolicy';
import type { ServerDefinition } from './serverDefinition';
import { describeState, type ServerState } from './serverState';

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
  readonly now?: () => number;
}

export class ManagedServer {
  private stateValue: ServerState = { kind: 'stopped' };
  private readonly stateEmitter = new Emitter<ServerState>();
  private readonly toolsEmitter = new Emitter<readonly Tool[]>();
  private client: McpClient | undefined;
  private session = new DisposableStore();
  private generation = 0;
  private crashes: number[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  readonly onDidChangeState: Event<ServerState> = this.stateEmitter.event;
  readonly onDidChangeTools: Event<readonly Tool[]> = this.toolsEmitter.event;

  constructor(
    private definitionValue: ServerDefinition,
    private readonly deps: ManagedServerDeps,
  ) {}

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
      void this.client?.close();
      return this.stopping;
    }
    if (this.stateValue.kind === 'stopped') return Promise.resolve();
    this.generation++;
    this.clearRestartTimer();
    const client = this.client;
    this.detachSession();
    this.setState({ kind: 'stopping' });
    this.stopping = (client ? client.close() : Promise.resolve())
      .catch((error: unknown) => this.deps.log(`Stopping failed: ${errorMessage(error)}`))
      .finally(() => {
        this.stopping = undefined;
        this.starting = undefined;
        this.setState({ kind: 'stopped' });
      });
    return this.stopping;
  }

  /** Stops, forgets recent crashes, and starts again. */
  async restart(): Promise<void> {
    this.deps.log('Restart requested.');
    await this.stop();
    this.crashes = [];
    await this.launch(1);
  }

  /** Applies a new definition; a running server restarts when its launch changed. */
  async update(definition: ServerDefinition, launchChanged: boolean): Promise<void> {
    this.definitionValue = definition;
    if (launchChanged && this.stateValue.kind !== 'stopped') await this.restart();
  }

  async callTool(name: string, args: JsonObject, options: CallOptions): Promise<CallToolResult> {
    const client = await this.whenRunning(options);
    if (!this.tools.some((t) => t.name === name)) {
      const names = this.tools.map((t) => t.name).join(', ') || 'none';
      throw new WardenError('TOOL_NOT_FOUND', `Server "${this.definitionValue.label}" has no tool "${name}". Its tools: ${names}.`);
    }
    return client.callTool(name, args, options);
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.stateEmitter.dispose();
    this.toolsEmitter.dispose();
  }

  /** Waits through a start or a pending restart, within the call's own timeout. */
  private whenRunning(options: CallOptions): Promise<McpClient> {
    const now = (): McpClient | WardenError | undefined => {
      const state = this.stateValue;
      if (state.kind === 'running' && this.client) return this.client;
      if (state.kind === 'starting' || state.kind === 'restarting') return undefined;
      const hint = 'Start it with "Warden: Restart Server".';
      return new WardenError('SERVER_NOT_RUNNING', `Server "${this.definitionValue.label}" is not running (${describeState(state)}). ${hint}`);
    };
    const immediate = now();
    if (immediate instanceof McpClient) return Promise.resolve(immediate);
    if (immediate instanceof WardenError) return Promise.reject(immediate);
    return new Promise<McpClient>((resolve, reject) => {
      const done = (outcome: () => void): void => {
        clearTimeout(timer);
        subscription.dispose();
        options.signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const timer = setTimeout(
        () => done(() => reject(new WardenError('TIMEOUT', `Server "${this.definitionValue.label}" did not become ready within ${options.timeoutMs} ms.`))),
        options.timeoutMs,
      );
      const onAbort = (): void => done(() => reject(new WardenError('CANCELLED', 'The call was cancelled while the server was starting.')));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const subscription = this.onDidChangeState(() => {
        const next = now();
        if (next instanceof McpClient) done(() => resolve(next));
        else if (next instanceof WardenError) done(() => reject(next));
      });
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
    this.deps.log(`Starting: ${[definition.command, ...definition.args].map(quoteArg).join(' ')}`);
    let client: McpClient | undefined;
    try {
      const transport = this.deps.createTransport(definition);
      client = await McpClient.connect(transport, {
        clientInfo: this.deps.clientInfo,
        log: this.deps.log,
        initializeTimeoutMs: this.deps.timeouts.initializeMs,
      });
      const tools = await client.listTools({ timeoutMs: this.deps.timeouts.listToolsMs });
      if (generation !== this.generation) {
        await client.close();
        return;
      }
      this.attachSession(client, generation);
      const info = client.info;
      this.deps.log(`Running ${info.serverInfo.name} ${info.serverInfo.version} (MCP ${info.protocolVersion}) with ${tools.length} tools.`);
      this.setState({ kind: 'running', session: info, tools, ...(client.pid !== undefined && { pid: client.pid }) });
      this.toolsEmitter.fire(tools);
    } catch (error) {
      await client?.close();
      if (generation !== this.generation) return;
      const message = errorMessage(error);
      this.deps.log(`Start failed: ${message}`);
      if (isPermanent(error)) {
        this.setState({ kind: 'error', message });
        return;
      }
      this.onCrash(`start failed: ${message}`, attempt);
    }
  }

  private attachSession(client: McpClient, generation: number): void {
    this.client = client;
    this.session = new DisposableStore();
    this.session.add(client.onDidClose((exit) => this.onSessionClosed(exit, generation)));
    this.session.add(client.onDidChangeTools(() => void this.refreshTools(generation)));
  }

  private detachSession(): void {
    this.session.dispose();
    this.client = undefined;
  }

  private onSessionClosed(exit: TransportExit, generation: number): void {
    if (generation !== this.generation) return;
    this.detachSession();
    this.deps.log(`The server ${describeExit(exit)}.`);
    this.onCrash(`the server ${describeExit(exit)}`, 1);
  }

  private onCrash(reason: string, attempt: number): void {
    const now = (this.deps.now ?? Date.now)();
    this.crashes = [...this.crashes.filter((t) => now - t < this.deps.restartPolicy.windowMs), now];
    const decision = this.deps.restartPolicy.decide(this.crashes);
    if (decision.action === 'give-up') {
      this.deps.log(`Giving up: ${decision.message}`);
      this.setState({ kind: 'error', message: `${reason}; ${decision.message}` });
      return;
    }
    this.deps.log(`Restarting in ${decision.delayMs} ms (${decision.message}).`);
    const generation = this.generation;
    this.setState({ kind: 'restarting', reason, delayMs: decision.delayMs, attempt: attempt + 1 });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (generation === this.generation && this.stateValue.kind === 'restarting') void this.launch(attempt + 1);
    }, decision.delayMs);
  }

  private async refreshTools(generation: number): Promise<void> {
    const client = this.client;
    if (!client || generation !== this.generation) return;
    try {
      const tools = await client.listTools({ timeoutMs: this.deps.timeouts.listToolsMs });
      if (generation !== this.generation || this.stateValue.kind !== 'running') return;
      this.deps.log(`Tool list changed: ${tools.length} tools.`);
      this.setState({ ...this.stateValue, tools });
      this.toolsEmitter.fire(tools);
    } catch (error) {
      this.deps.log(`Could not reload the tool list: ${errorMessage(error)}`);
    }
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private setState(next: ServerState): void {
    const previous = this.stateValue;
    if (previous === next) return;
    this.stateValue = next;
    this.stateEmitter.fire(next);
  }
}

function isPermanent(error: unknown): boolean {
  if (!(error instanceof WardenError)) return false;
  if (error.code === 'UNSUPPORTED_PROTOCOL_VERSION') return true;
  if (error.code === 'SERVER_CRASHED' && isSpawnFailure(error.details)) return true;
  return false;
}

function isSpawnFailure(details: unknown): boolean {
  return typeof details === 'object' && details !== null && 'spawnError' in details && details.spawnError !== undefined;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
