/**
 * Launches a server definition as a child process: argv without a shell, the allow-listed
 * environment plus the definition's own variables, and the definition's message size limit.
 * Remote definitions are refused: `serverTransportFactory` connects to both kinds.
 */
import { allowListedEnvironment } from '../transport/environment';
import { StdioProcessTransport, type StdioProcessOptions } from '../transport/stdioProcess';
import type { McpTransport } from '../transport/transport';
import { WardenError } from '../util/errors';
import { isHttpDefinition, type ServerDefinition } from './serverDefinition';

export type StdioLaunchOptions = Pick<StdioProcessOptions, 'graceMs' | 'outputLinesPerSecond' | 'clock'>;

export function stdioTransportFactory(options: StdioLaunchOptions = {}): (definition: ServerDefinition) => McpTransport {
  return (definition) => {
    if (isHttpDefinition(definition)) {
      throw new WardenError('SERVER_START_FAILED', `Server "${definition.label}" is a remote server (${definition.url}); this host launches local processes only.`);
    }
    return new StdioProcessTransport({
      ...options,
      command: definition.command,
      args: definition.args,
      ...(definition.cwd !== undefined && { cwd: definition.cwd }),
      env: { ...allowListedEnvironment(), ...definition.env },
      ...(definition.maxMessageBytes !== undefined && { maxMessageBytes: definition.maxMessageBytes }),
    });
  };
}
