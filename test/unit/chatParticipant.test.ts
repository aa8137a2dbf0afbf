import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ServerState } from '../../src/core/host/serverState';
import type { Decision } from '../../src/core/policy/types';
import type { Tool } from '../../src/core/protocol/types';
import type { Preview } from '../../src/core/router/toolRouter';
import { WardenError } from '../../src/core/util/errors';
import { fileReference, progressMessage } from '../../src/vscode/chat/callDisplay';
import { callsInMetadata, chatMetadata } from '../../src/vscode/chat/callRecords';
import { continuationHint, fitText } from '../../src/vscode/chat/resultFitting';
import { parseToolBlocks, ToolBlockFilter } from '../../src/vscode/chat/textProtocol';
import { buildCatalog, type CatalogServer } from '../../src/vscode/chat/toolCatalog';
import { MAX_TOOL_NAME_LENGTH, isValidModelToolName, modelToolName } from '../../src/core/naming/modelToolNames';

const readText: Tool = {
  name: 'read_text',
  description: 'Reads a file.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' }, startLine: { type: 'integer' } }, required: ['path'] },
};

/** Four characters a token, like the scripted models. */
const count = async (text: string): Promise<number> => Math.ceil(text.length / 4);

describe('modelToolName', () => {
  it('keeps <server>__<tool> when a model API accepts it', () => {
    assert.equal(modelToolName('fs', 'read_text', new Set()), 'fs__read_text');
  });

  it('replaces characters model APIs refuse, such as the dots and slashes MCP allows', () => {
    assert.equal(modelToolName('git', 'repo.status/v2', new Set()), 'git__repo_status_v2');
  });

  it('shortens long names to 64 characters and keeps every name unique', () => {
    const taken = new Set<string>();
    const names = ['a.b', 'a_b', 'a/b', 'x'.repeat(128), `${'x'.repeat(127)}y`].map((tool) => {
      const name = modelToolName('server', tool, taken);
      taken.add(name);
      return name;
    });
    assert.equal(new Set(names).size, names.length, names.join(', '));
    for (const name of names) {
      assert.ok(isValidModelToolName(name), name);
      assert.ok(name.length <= MAX_TOOL_NAME_LENGTH, name);
    }
  });
});

describe('parseToolBlocks', () => {
  it('reads each fenced tool block as a call', () => {
    const reply = 'First this.\n```tool\n{"tool": "fs__read_text", "arguments": {"path": "a.ts"}}\n```\nthen\n~~~tool\n{"tool": "fs__list_dir"}\n~~~\n';
    assert.deepEqual(parseToolBlocks(reply), {
      calls: [
        { block: 1, name: 'fs__read_text', args: { path: 'a.ts' } },
        { block: 2, name: 'fs__list_dir', args: {} },
      ],
      problems: [],
    });
  });

  it('takes an unclosed block at the end of the reply', () => {
    assert.deepEqual(parseToolBlocks('```tool\n{"tool": "t", "arguments": {}}').calls, [{ block: 1, name: 't', args: {} }]);
  });

  it('says what is wrong with each block it cannot use, and what to write instead', () => {
    const reply = ['```tool\n{"tool": "t", \n```', '```tool\n["t"]\n```', '```tool\n{"arguments": {}}\n```', '```tool\n{"tool": "t", "arguments": [1]}\n```', '```tool\n{"tool": "t", "path": "a"}\n```'].join('\n');
    const { calls, problems } = parseToolBlocks(reply);
    assert.deepEqual(calls, []);
    assert.equal(problems.length, 5);
    assert.match(problems[0]!, /^Tool block 1 is not valid JSON \(.+\)\. Write one JSON object: \{"tool": "<tool name>", "arguments": \{ \.\.\. \}\}\.$/);
    assert.match(problems[1]!, /^Tool block 2 must hold one JSON object, .* it holds an array\.$/);
    assert.match(problems[2]!, /^Tool block 3 has no "tool" string/);
    assert.match(problems[3]!, /^Tool block 4 \(t\): "arguments" must be a JSON object; it is an array\.$/);
    assert.match(problems[4]!, /^Tool block 5 \(t\) has unexpected keys "path": put the tool's arguments inside "arguments"\.$/);
  });

  it('ignores code blocks in other languages', () => {
    assert.deepEqual(parseToolBlocks('```json\n{"tool": "t"}\n```'), { calls: [], problems: [] });
  });
});

describe('ToolBlockFilter', () => {
  const reply = 'Reading it.\n\n```tool\n{"tool": "fs__read_text", "arguments": {"path": "a.ts"}}\n```\nHere is code:\n```ts\nconst a = 1;\n```\nDone ~ ok.';
  const shown = 'Reading it.\n\nHere is code:\n```ts\nconst a = 1;\n```\nDone ~ ok.';

  it('shows everything but the tool blocks, however the reply is split into chunks', () => {
    for (const size of [1, 2, 3, 7, reply.length]) {
      const filter = new ToolBlockFilter();
      let out = '';
      for (let i = 0; i < reply.length; i += size) out += filter.push(reply.slice(i, i + size));
      out += filter.end();
      assert.equal(out, shown, `chunks of ${size}`);
    }
  });

  it('leaves a tool fence that does not start its line, as the parser does', () => {
    const filter = new ToolBlockFilter();
    const text = 'Write ```tool\n{"tool": "x"}\n``` to call one.';
    assert.equal(filter.push(text) + filter.end(), text);
    assert.deepEqual(parseToolBlocks(text), { calls: [], problems: [] });
  });

  it('releases text as soon as it cannot start a block, and hides an unclosed block', () => {
    const filter = new ToolBlockFilter();
    assert.equal(filter.push('Let me look'), 'Let me look');
    assert.equal(filter.push('.\n`'), '.\n');
    assert.equal(filter.push('``tool\n{"tool":'), '');
    assert.equal(filter.end(), '');
  });
});

describe('fitText', () => {
  const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');

  it('leaves a result that fits as it is', async () => {
    assert.deepEqual(await fitText(text, 1000, count, () => 'unused'), { text });
  });

  it('cuts at a line break, within the budget, and says what was cut and how to get the rest', async () => {
    const fitted = await fitText(text, 100, count, (kept) => continuationHint('fs__read_text', readText, { path: 'a.txt' }, kept));
    assert.ok(fitted.cut);
    assert.ok((await count(fitted.text)) <= 100);
    const note = new RegExp(`\\n\\[cut: (\\d+) of ${text.length} characters shown; call fs__read_text with startLine (\\d+) for more\\]$`).exec(fitted.text);
    assert.ok(note, fitted.text);
    assert.equal(Number(note[1]), fitted.cut.shown);
    const lines = fitted.text.slice(0, note.index).split('\n');
    assert.equal(lines.at(-1), `line ${Number(note[2]) - 1}`);
  });

  it('counts lines from the startLine the call asked for, and suggests a narrower call otherwise', () => {
    assert.equal(continuationHint('fs__read_text', readText, { path: 'a', startLine: 300 }, 'a\nb\n'), 'call fs__read_text with startLine 302 for more');
    assert.equal(continuationHint('fs__read_text', readText, { path: 'a', offset: 10 }, 'a\n'), 'call fs__read_text again with a narrower path, range or query for the rest');
    const query: Tool = { name: 'query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } };
    assert.equal(continuationHint('sqlite__query', query, { sql: 'select 1' }, ''), 'call sqlite__query again with a narrower path, range or query for the rest');
  });

  it('shows only the note when nothing fits', async () => {
    const fitted = await fitText(text, 0, count, () => 'ask for less');
    assert.equal(fitted.text, `[cut: 0 of ${text.length} characters shown; ask for less]`);
  });
});

describe('call records in chat metadata', () => {
  it('reads back what the participant wrote, and drops what it does not recognise', () => {
    const metadata = chatMetadata({ mode: 'native', rounds: 2, calls: [{ tool: 'fs.read_text', target: 'a.ts', outcome: 'ok', durationMs: 3, auditId: 'id-1' }] });
    const crossed: unknown = JSON.parse(JSON.stringify(metadata));
    assert.deepEqual(callsInMetadata(crossed), [{ tool: 'fs.read_text', target: 'a.ts', outcome: 'ok', durationMs: 3, auditId: 'id-1' }]);
    assert.equal(callsInMetadata({ warden: { version: 2, calls: [] } }), undefined);
    assert.equal(callsInMetadata(undefined), undefined);
    assert.deepEqual(callsInMetadata({ warden: { version: 1, calls: [{ tool: 'x' }, 7] } }), []);
  });
});

describe('how a call shows in the chat', () => {
  it('builds the progress line from the tool and the argument it works on', () => {
    assert.equal(progressMessage('fs', 'read_text', { path: 'src/app.ts' }), 'Reading src/app.ts…');
    assert.equal(progressMessage('sqlite', 'query', { database: 'shop.sqlite', sql: 'SELECT  name\nFROM t' }), 'Querying SELECT name FROM t…');
    assert.equal(progressMessage('http', 'fetch', { url: 'https://example.com/' }), 'Fetching https://example.com/…');
    assert.equal(progressMessage('x', 'frobnicate', {}), 'Running x.frobnicate…');
  });

  it('references files inside the workspace folders only', () => {
    const root = path.resolve('/ws/a');
    assert.equal(fileReference({ path: 'src/app.ts' }, undefined, [root]), path.join(root, 'src', 'app.ts'));
    assert.equal(fileReference({ path: 'x' }, { path: path.join(root, 'real.ts') }, [root]), path.join(root, 'real.ts'));
    assert.equal(fileReference({ path: '../../etc/passwd' }, undefined, [root]), undefined);
    assert.equal(fileReference({}, undefined, [root]), root);
  });
});

describe('buildCatalog', () => {
  const running: ServerState = { kind: 'running', session: { protocolVersion: '2025-11-25', serverInfo: { name: 's', version: '1' }, capabilities: {} }, tools: [] };
  const server = (id: string, tools: Tool[]): CatalogServer => ({ id, definition: { label: id.toUpperCase() }, state: running, tools, toolApprovals: new Map() });
  const allow: Decision = { effect: 'allow', rule: { id: 'r', source: 'user' }, limits: {} };

  it('offers what the policy does not deny outright, noting what it will ask about', () => {
    const decisions: Record<string, Preview> = {
      'a/read.it': { kind: 'decided', tool: readText, decision: allow },
      'a/ask': { kind: 'decided', tool: readText, decision: { effect: 'confirm', rule: { id: 'c', source: 'user' }, limits: {}, why: 'it writes', approvalKey: 'a/ask', cause: 'risk' } },
      'a/busy': { kind: 'decided', tool: readText, decision: { effect: 'deny', rule: { id: 'r', source: 'user' }, reason: 'rate-limited', message: 'later' } },
      'a/no': { kind: 'decided', tool: readText, decision: { effect: 'deny', rule: { id: 'no', source: 'user' }, reason: 'rule', message: 'no' } },
      'b/gone': { kind: 'unavailable', error: new WardenError('TOOL_NOT_FOUND', 'It went away.') },
    };
    const tools = (...names: string[]): Tool[] => names.map((name) => ({ ...readText, name }));
    const catalog = buildCatalog(
      { all: () => [server('a', tools('read.it', 'ask', 'busy', 'no')), server('b', tools('gone'))] },
      { previewTool: ({ server: s, tool }) => decisions[`${s}/${tool}`]! },
      'participant',
    );
    assert.deepEqual(
      catalog.offered.map((t) => [t.name, t.confirmation]),
      [
        ['a__read_it', undefined],
        ['a__ask', 'it writes'],
        ['a__busy', undefined],
      ],
    );
    assert.equal(catalog.find('a__read_it')?.tool.name, 'read.it');
    assert.deepEqual(catalog.withheld, [
      { server: 'a', tool: 'no', why: 'denied by rule "no"' },
      { server: 'b', tool: 'gone', why: 'It went away.' },
    ]);
  });
});
