/**
 * Launches a server definition as a child process: argv without a shell, the allow-listed
 * environment plus the definition's own variables, and the definition's message size limit.
 */
import { allowListedEnvironment } from '../transport/environment';
import { StdioProcessTransport, type StdioProcessOptions } from '../transport/stdioProcess';
import type { McpTransport } from '../transport/transport';
import type { ServerDefinition } from './serverDefinition';

export type StdioLaunchOptions = Pick<StdioProcessOptions, 'graceMs' | 'outputLinesPerSecond' | 'clock'>;

export function stdioTransportFactory(options: StdioLaunchOptions = {}): (definition: ServerDefinition) => McpTransport {
  return (definition) =>
    new StdioProcessTransport({
      ...options,
      command: definition.command,
      args: definition.args,
      ...(definition.cwd !== undefined && { cwd: definition.cwd }),
      env: { ...allowListedEnvironment(), ...definition.env },
      ...(definition.maxMessageBytes !== undefined && { maxMessageBytes: definition.maxMessageBytes }),
    });
}
