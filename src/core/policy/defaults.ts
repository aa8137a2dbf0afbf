import type { Rule } from './types';

/**
 * What Warden allows before anyone writes a rule. Everything else is denied.
 * - The built-in servers' tools, for the editor's own callers. They are read-only or behind their
 *   own allow-lists; model callers still confirm anything that is not read-only or reaches out.
 * - Any tool a person runs by hand from the palette or the sidebar: they chose the tool and typed
 *   the arguments.
 * Model callers reach a user-configured server only once a rule allows it; gateway clients only
 * through rules too.
 */
export const DEFAULT_RULES: readonly Rule[] = [
  {
    id: 'default:built-in-tools',
    description: "the built-in servers' tools, for the editor's callers",
    server: ['fs', 'sqlite', 'http'],
    caller: ['copilot', 'participant', 'palette', 'sidebar'],
    effect: 'allow',
    rateLimit: { perMinute: 120, burst: 30 },
  },
  {
    id: 'default:run-by-hand',
    description: 'any tool a person runs from the palette or the sidebar',
    caller: ['palette', 'sidebar'],
    effect: 'allow',
  },
];
