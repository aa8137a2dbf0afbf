import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileArgumentValidator } from '../../src/core/validation/argumentValidator';

const body = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };

describe('compileArgumentValidator', () => {
  for (const dialect of [
    undefined,
    'https://json-schema.org/draft/2020-12/schema',
    'http://json-schema.org/draft-07/schema#',
    'https://json-schema.org/draft/2019-09/schema',
    'http://json-schema.org/draft-04/schema#',
  ]) {
    it(`checks a schema declaring ${dialect ?? 'no dialect'}`, () => {
      const check = compileArgumentValidator<{ text: string }>(dialect === undefined ? body : { $schema: dialect, ...body }, 'echo');
      assert.deepEqual(check({ text: 'hi' }), { ok: true, value: { text: 'hi' } });
      const bad = check({ text: 5 });
      assert.equal(bad.ok, false);
      assert.match(bad.ok ? '' : bad.message, /Invalid arguments for tool "echo": field "text" must be string/);
    });
  }

  it('names the missing field and the unknown one', () => {
    const check = compileArgumentValidator({ ...body, additionalProperties: false }, 'echo');
    const result = check({ txt: 'x' });
    assert.match(result.ok ? '' : result.message, /missing required field "text"; unknown field "txt"/);
  });

  it('says so when a schema does not compile, instead of throwing', () => {
    const check = compileArgumentValidator({ type: 'object', properties: { a: { type: 'no-such-type' } } }, 'broken');
    const result = check({ a: 1 });
    assert.match(result.ok ? '' : result.message, /The input schema of tool "broken" is not valid JSON Schema/);
  });
});
