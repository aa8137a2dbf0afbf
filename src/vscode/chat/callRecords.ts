/**
 * What the participant remembers of a conversation: each response's tool calls travel in its
 * `ChatResult.metadata` and come back in `context.history`, where `/audit` reads them. Metadata
 * crosses a process boundary and may come from an older version, so it is checked, not trusted.
 */
import { isJsonObject } from './jsonValues';

export const METADATA_KEY = 'warden';
const METADATA_VERSION = 1;

/** One call the participant made through the gate. */
export interface CallRecord {
  /** `server.tool`. */
  readonly tool: string;
  /** The path, SQL or URL it worked on, shortened, when an argument says. */
  readonly target?: string;
  /** How it ended, as the audit log words it (ok, tool-error, denied, timeout, …). */
  readonly outcome: string;
  readonly durationMs: number;
  /** The id of its record in Warden's audit log. */
  readonly auditId: string;
}

export type StopReason = 'round-limit' | 'cancelled' | 'model-error';

/** The `metadata` of every result the participant returns. */
export interface ChatMetadata {
  readonly [METADATA_KEY]: {
    readonly version: typeof METADATA_VERSION;
    /** The slash command answered, if any. */
    readonly command?: string;
    /** How tools were offered: the model's own tool calling, or the fenced-block text protocol. */
    readonly mode?: 'native' | 'text';
    /** Requests sent to the model. */
    readonly rounds: number;
    readonly calls: readonly CallRecord[];
    readonly stopped?: StopReason;
  };
}

export function chatMetadata(content: Omit<ChatMetadata[typeof METADATA_KEY], 'version'>): ChatMetadata {
  return { [METADATA_KEY]: { version: METADATA_VERSION, ...content } };
}

/** The calls recorded in one earlier result, or undefined when it holds no Warden metadata. */
export function callsInMetadata(metadata: unknown): CallRecord[] | undefined {
  if (!isJsonObject(metadata)) return undefined;
  const ours = metadata[METADATA_KEY];
  if (!isJsonObject(ours) || ours['version'] !== METADATA_VERSION || !Array.isArray(ours['calls'])) return undefined;
  return ours['calls'].flatMap((value: unknown) => {
    const record = asCallRecord(value);
    return record ? [record] : [];
  });
}

function asCallRecord(value: unknown): CallRecord | undefined {
  if (!isJsonObject(value)) return undefined;
  const { tool, target, outcome, durationMs, auditId } = value;
  if (typeof tool !== 'string' || typeof outcome !== 'string' || typeof durationMs !== 'number' || typeof auditId !== 'string') return undefined;
  return { tool, outcome, durationMs, auditId, ...(typeof target === 'string' && { target }) };
}
