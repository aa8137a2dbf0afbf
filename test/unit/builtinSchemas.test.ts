// The built-in servers compile a tool's argument check on its first call, not at start-up. This is
// what keeps a broken schema from shipping: every input and output schema must be valid JSON
// Schema 2020-12 and compile in Ajv's strict mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import type { Tool } from '../../src/core/protocol/types';
import { fsToolDeclarations } from '../../src/servers/fs/toolDeclarations';
import { httpToolDeclarations } from '../../src/servers/http/toolDeclarations';
import { sqliteToolDeclarations } from '../../src/servers/sqlite/toolDeclarations';

const servers: Array<[string, () => Tool[]]> = [
  ['fs', fsToolDeclarations],
  ['sqlite', sqliteToolDeclarations],
  ['http', httpToolDeclarations],
];

describe('built-in tool schemas', () => {
  for (const [server, declarations] of servers) {
    it(`${server}: every input and output schema is valid 2020-12 and compiles in strict mode`, () => {
      const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, validateFormats: false });
      const tools = declarations();
      assert.ok(tools.length > 0, `${server} declares no tools`);
      for (const tool of tools) {
        for (const [which, schema] of [['input', tool.inputSchema], ['output', tool.outputSchema]] as const) {
          if (schema === undefined) continue;
          assert.equal(ajv.validateSchema(schema), true, `${server}.${tool.name} ${which} schema: ${ajv.errorsText(ajv.errors)}`);
          assert.doesNotThrow(() => ajv.compile(schema), `${server}.${tool.name} ${which} schema does not compile in strict mode`);
        }
      }
    });
  }
});
