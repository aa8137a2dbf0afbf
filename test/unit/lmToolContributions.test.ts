import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fsToolDeclarations } from '../../src/servers/fs/toolDeclarations';
import { httpToolDeclarations } from '../../src/servers/http/toolDeclarations';
import { sqliteToolDeclarations } from '../../src/servers/sqlite/toolDeclarations';
import { GENERIC_TOOLS } from '../../src/vscode/lm/genericToolDeclarations';
import { LANGUAGE_MODEL_TOOL_BINDINGS } from '../../src/vscode/lm/toolBindings';

interface Contribution {
  name: string;
  modelDescription: string;
  inputSchema: object;
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { languageModelTools: Contribution[] };
};
const contributions = manifest.contributes.languageModelTools;
const declarations: Record<string, ReturnType<typeof fsToolDeclarations>> = {
  fs: fsToolDeclarations(),
  sqlite: sqliteToolDeclarations(),
  http: httpToolDeclarations(),
};
const hint = 'run `npm run build && npm run sync:lm-tools`';

describe('package.json language-model tools', () => {
  it('has one contribution per binding, the two generic tools, and no other', () => {
    assert.deepEqual(
      contributions.map((c) => c.name).sort(),
      [...LANGUAGE_MODEL_TOOL_BINDINGS.map((b) => b.name), ...GENERIC_TOOLS.map((t) => t.name)].sort(),
    );
  });

  for (const generic of GENERIC_TOOLS) {
    it(`declares ${generic.name} exactly as its declaration says`, () => {
      const contribution = contributions.find((c) => c.name === generic.name);
      assert.ok(contribution);
      assert.deepEqual(contribution.inputSchema, generic.inputSchema, `schemas differ: ${hint}`);
      assert.equal(contribution.modelDescription, generic.description, `descriptions differ: ${hint}`);
    });
  }

  for (const binding of LANGUAGE_MODEL_TOOL_BINDINGS) {
    it(`declares ${binding.name} with exactly the schema and description of ${binding.server}.${binding.tool}`, () => {
      const contribution = contributions.find((c) => c.name === binding.name);
      const tool = declarations[binding.server]?.find((t) => t.name === binding.tool);
      assert.ok(contribution && tool);
      assert.deepEqual(contribution.inputSchema, tool.inputSchema, `schemas differ: ${hint}`);
      assert.equal(contribution.modelDescription, tool.description, `descriptions differ: ${hint}`);
    });
  }
});
