import type { JsonObject } from '../../core/protocol/types';

/** A plain object (not an array, not null): what tool arguments and structured results are. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
