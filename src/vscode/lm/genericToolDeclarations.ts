/**
 * Two language-model tools that reach every hosted tool, the user's own servers' included:
 * `languageModelTools` entries must be static in package.json, while the user's servers and their
 * tools are not. Both go through the same gate as every other call: the named tool's own schema,
 * the policy for the caller `copilot`, confirmation, limits and the audit log.
 */
import type { JsonObject } from '../../core/protocol/types';

export interface GenericToolDeclaration {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonObject & { type: 'object' };
}

export const LIST_TOOLS: GenericToolDeclaration = {
  name: 'warden_list_tools',
  title: 'List Warden tools',
  description:
    'Lists the tools Warden hosts that you may call through warden_call_tool: for each, its server, name, description, ' +
    'input schema, and whether a person will be asked to confirm the call. Tools the user\'s policy denies are not listed. ' +
    'Call this first when the user asks for something the other Warden tools do not cover.',
  inputSchema: {
    type: 'object',
    properties: { server: { type: 'string', description: 'Only the tools of this server (its id).' } },
    additionalProperties: false,
  },
};

export const CALL_TOOL: GenericToolDeclaration = {
  name: 'warden_call_tool',
  title: 'Call a Warden tool',
  description:
    'Calls one tool that Warden hosts, by server id and tool name as warden_list_tools gives them, with its arguments as a JSON object ' +
    "matching the tool's input schema. Warden checks the arguments and the user's policy first; a refusal says which rule refused " +
    'and why. The result is the tool\'s own output.',
  inputSchema: {
    type: 'object',
    properties: {
      server: { type: 'string', minLength: 1, description: 'The server id, e.g. "fs" or the id of one of the user\'s servers.' },
      tool: { type: 'string', minLength: 1, description: 'The tool name within that server.' },
      arguments: { type: 'object', description: "The tool's arguments, matching its input schema." },
    },
    required: ['server', 'tool'],
    additionalProperties: false,
  },
};

export const GENERIC_TOOLS: readonly GenericToolDeclaration[] = [LIST_TOOLS, CALL_TOOL];
