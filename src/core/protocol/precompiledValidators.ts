/**
 * The protocol checks compiled ahead of time. This file is the stand-in the TypeScript compiler and
 * the tests see: it has none, so schemas.ts compiles each check on its first use. The build
 * replaces it in every bundle with the functions Ajv generates from protocolSchemas.ts
 * (scripts/build/protocolValidators.mjs), each of which sets `.errors` as a compiled one does.
 */
import type { ProtocolSchemaName } from './protocolSchemas';

export const PRECOMPILED: Partial<Record<ProtocolSchemaName, (value: unknown) => boolean>> | undefined = undefined;
