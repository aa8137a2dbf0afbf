import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bindingFor, statementParameters } from '../../src/servers/sqlite/parameters';
import { identifierValue, isOnlyTrivia, quoteIdentifier, tokenize } from '../../src/servers/sqlite/sqlLexer';
import { classifyStatement, type Verdict } from '../../src/servers/sqlite/statementPolicy';
import { ToolError } from '../../src/servers/shared/toolResult';

function kinds(sql: string): string[] {
  return tokenize(sql).map((t) => `${t.kind}:${t.text}`);
}

function refusal(sql: string): string {
  const verdict: Verdict = classifyStatement(sql);
  assert.equal(verdict.kind, 'refused', `${JSON.stringify(sql)} should be refused`);
  return verdict.kind === 'refused' ? verdict.message : '';
}

function allowedAs(sql: string): string {
  const verdict = classifyStatement(sql);
  assert.equal(verdict.kind, 'allowed', `${JSON.stringify(sql)} should be allowed: ${verdict.kind === 'refused' ? verdict.message : ''}`);
  return verdict.kind === 'allowed' ? verdict.statement : '';
}

function toolErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a ToolError');
}

describe('SQLite tokenizer', () => {
  it('skips whitespace and both comment forms, including an unterminated block comment', () => {
    assert.deepEqual(kinds(' \t\n\v\f\r-- line\n/* block */ SELECT /* open'), ['word:SELECT']);
    assert.deepEqual(kinds('--only a line comment'), []);
  });

  it('keeps semicolons, comment markers and parameters inside strings and quoted names as data', () => {
    assert.deepEqual(kinds(`SELECT 'a;--b''c' FROM "x;""y" WHERE [z;] = \`q;\``), [
      'word:SELECT',
      "string:'a;--b''c'",
      'word:FROM',
      'quoted:"x;""y"',
      'word:WHERE',
      'quoted:[z;]',
      'punct:=',
      'quoted:`q;`',
    ]);
    assert.deepEqual(kinds("SELECT '?', ':x' -- ?\n"), ['word:SELECT', "string:'?'", 'punct:,', "string:':x'"]);
  });

  it('reads blobs, numbers, parameters and identifiers the way SQLite does', () => {
    assert.deepEqual(kinds("x'00ff' 1.5e-3 0x1F 1_000 .5 ?7 ? :name @a $b #c a$b _x é"), [
      "blob:x'00ff'",
      'number:1.5e-3',
      'number:0x1F',
      'number:1_000',
      'number:.5',
      'parameter:?7',
      'parameter:?',
      'parameter::name',
      'parameter:@a',
      'parameter:$b',
      'parameter:#c',
      'word:a$b',
      'word:_x',
      'word:é',
    ]);
  });

  it('marks an unterminated string as such and runs it to the end', () => {
    const [token] = tokenize("'abc; DELETE FROM t");
    assert.equal(token?.kind, 'string');
    assert.equal(token?.terminated, false);
    assert.equal(token?.text, "'abc; DELETE FROM t");
  });

  it('tells text with no statement in it from text with one', () => {
    assert.equal(isOnlyTrivia(''), true);
    assert.equal(isOnlyTrivia(' ; ;; -- x\n/* y */'), true);
    assert.equal(isOnlyTrivia(' ; DELETE FROM t'), false);
    assert.equal(isOnlyTrivia("'--'"), false);
    assert.equal(isOnlyTrivia('/* */ x'), false);
  });

  it('unquotes identifiers and quotes names so that they stay one identifier', () => {
    const values = tokenize('plain "a""b" `c``d` [e"f]').map(identifierValue);
    assert.deepEqual(values, ['plain', 'a"b', 'c`d', 'e"f']);
    assert.equal(quoteIdentifier(`t'); DROP TABLE t; --`), `"t'); DROP TABLE t; --"`);
    assert.equal(quoteIdentifier('we"ird'), '"we""ird"');
    const [round, ...others] = tokenize(quoteIdentifier('x" OR 1=1 --'));
    assert.ok(round !== undefined);
    assert.equal(others.length, 0);
    assert.equal(round.kind, 'quoted');
    assert.equal(identifierValue(round), 'x" OR 1=1 --');
    assert.throws(() => quoteIdentifier('a\0b'), /NUL/);
  });
});

describe('statement policy', () => {
  it('allows SELECT, WITH, VALUES and EXPLAIN of them, after comments and empty statements', () => {
    assert.equal(allowedAs('SELECT 1'), 'select');
    assert.equal(allowedAs('  select * from t'), 'select');
    assert.equal(allowedAs('WITH RECURSIVE c(x) AS (SELECT 1) SELECT x FROM c'), 'select');
    assert.equal(allowedAs('VALUES (1, 2)'), 'select');
    assert.equal(allowedAs('/* why */ -- note\n SELECT 1'), 'select');
    assert.equal(allowedAs(' ; ; SELECT 1'), 'select');
    assert.equal(allowedAs('EXPLAIN SELECT 1'), 'explain');
    assert.equal(allowedAs('explain query plan SELECT * FROM t'), 'explain');
    assert.equal(allowedAs('EXPLAIN PRAGMA table_info(t)'), 'explain');
  });

  it('refuses every write, schema change, attachment, vacuum and transaction by its keyword', () => {
    for (const keyword of ['INSERT', 'UPDATE', 'DELETE', 'REPLACE']) {
      assert.match(refusal(`${keyword.toLowerCase()} x`), new RegExp(`^${keyword} statements are refused: this server never changes a database\\.`));
    }
    for (const keyword of ['CREATE', 'DROP', 'ALTER', 'REINDEX', 'ANALYZE']) {
      assert.match(refusal(`${keyword} x`), new RegExp(`^${keyword} statements are refused: this server never changes a database or its schema\\.`));
    }
    assert.match(refusal("ATTACH ':memory:' AS m"), /^ATTACH is refused: query reads only the database named by its database argument/);
    assert.match(refusal('DETACH m'), /^DETACH is refused/);
    assert.match(refusal('VACUUM INTO "/tmp/x"'), /^VACUUM is refused: it rewrites the database\./);
    for (const keyword of ['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']) {
      assert.match(refusal(keyword), new RegExp(`^${keyword} is refused: each query runs on its own`));
    }
  });

  it('sees the keyword behind comments that pretend to be a SELECT', () => {
    assert.match(refusal('/* SELECT */ DELETE FROM t'), /^DELETE statements are refused/);
    assert.match(refusal('-- SELECT\nDROP TABLE t'), /^DROP statements are refused/);
    assert.match(refusal("'SELECT' DELETE"), /^A statement starting with "'SELECT'" is refused\./);
    assert.match(refusal('(SELECT 1)'), /^A statement starting with "\(" is refused\./);
  });

  it('refuses EXPLAIN of anything it would refuse on its own, and nested EXPLAIN', () => {
    assert.match(refusal('EXPLAIN DELETE FROM t'), /^DELETE statements are refused/);
    assert.match(refusal('EXPLAIN QUERY PLAN PRAGMA query_only = OFF'), /^PRAGMA query_only is refused/);
    assert.equal(refusal('EXPLAIN EXPLAIN SELECT 1'), 'EXPLAIN cannot be nested.');
    assert.equal(refusal('EXPLAIN'), 'EXPLAIN must be followed by a statement.');
  });

  it('allows only read-only PRAGMAs, in the forms that only read', () => {
    assert.equal(allowedAs("PRAGMA table_info('t')"), 'pragma');
    assert.equal(allowedAs('pragma main.table_xinfo = t'), 'pragma');
    assert.equal(allowedAs('PRAGMA "index_list"(t)'), 'pragma');
    assert.equal(allowedAs('PRAGMA foreign_key_list(t)'), 'pragma');
    assert.equal(allowedAs('PRAGMA integrity_check'), 'pragma');
    assert.equal(allowedAs('PRAGMA user_version'), 'pragma');
    assert.equal(allowedAs('PRAGMA user_version;'), 'pragma');
    assert.match(refusal('PRAGMA user_version = 7'), /^PRAGMA user_version with a value is refused: that form changes the database\./);
    assert.match(refusal('PRAGMA main.page_size(512)'), /^PRAGMA page_size with a value is refused/);
    assert.equal(refusal('PRAGMA table_info'), "PRAGMA table_info needs a table or index name, as in PRAGMA table_info('name').");
    for (const pragma of ['query_only = OFF', 'QUERY_ONLY=0', '"query_only" = off', "'query_only' = 0", 'writable_schema = ON', 'journal_mode = WAL', 'hard_heap_limit = 1', 'query_only']) {
      assert.match(refusal(`PRAGMA ${pragma}`), /^PRAGMA (query_only|writable_schema|journal_mode|hard_heap_limit) is refused: it may change the database or the connection\./);
    }
    assert.match(refusal('PRAGMA'), /^PRAGMA must be followed by a pragma name/);
  });

  it('refuses text with no statement', () => {
    assert.equal(refusal('  -- nothing\n ; '), 'The SQL holds no statement, only comments or whitespace.');
  });
});

describe('query parameters', () => {
  it('numbers parameters the way SQLite does', () => {
    assert.deepEqual(statementParameters('SELECT ?, ?, ?'), { count: 3, names: [], positional: true });
    assert.deepEqual(statementParameters('SELECT ?1, :a, ?1, ?5, :a, @b'), { count: 6, names: [':a', '@b'], positional: true });
    assert.deepEqual(statementParameters("SELECT ':no', \"?\" -- ?\n FROM t WHERE a = :a"), { count: 1, names: [':a'], positional: false });
  });

  it('accepts positional values that match the statement, and says when they do not', () => {
    assert.equal(bindingFor('SELECT 1', undefined), undefined);
    assert.deepEqual(bindingFor('SELECT ?, ?', ['a', 2]), ['a', 2]);
    assert.deepEqual(bindingFor('SELECT 1', []), []);
    assert.equal(
      toolErrorMessage(() => bindingFor('SELECT ?, ?', ['a'])),
      'The statement has 2 parameters, but params has 1 value. Pass exactly 2 in order.',
    );
    assert.equal(toolErrorMessage(() => bindingFor('SELECT 1', [1])), 'The statement has 0 parameters, but params has 1 value. Pass exactly 0 in order, or leave params out.');
    assert.equal(toolErrorMessage(() => bindingFor('SELECT ?', undefined)), 'The statement has 1 parameter; pass their values in params (an array of values in order).');
  });

  it('matches named values with or without their prefix, and names what is missing or unknown', () => {
    assert.deepEqual(bindingFor('SELECT :id, @name', { id: 1, '@name': 'x' }), { ':id': 1, '@name': 'x' });
    assert.equal(
      toolErrorMessage(() => bindingFor('SELECT :id', { idd: 1 })),
      'params names "idd", which the statement does not use. Its parameters: :id.',
    );
    assert.equal(toolErrorMessage(() => bindingFor('SELECT :id, :x', { id: 1 })), 'params has no value for :x.');
    assert.equal(
      toolErrorMessage(() => bindingFor('SELECT ?', { a: 1 })),
      'The statement uses positional parameters (?); pass params as an array of 1 value.',
    );
    assert.equal(
      toolErrorMessage(() => bindingFor('SELECT :id', undefined)),
      'The statement has 1 parameter: :id; pass their values in params (an object such as {"id":"…"}).',
    );
  });

  it('keeps a value holding SQL as a value', () => {
    const value = "x'); DROP TABLE t; --";
    assert.deepEqual(bindingFor('SELECT * FROM t WHERE name = ?', [value]), [value]);
    assert.deepEqual(bindingFor('SELECT * FROM t WHERE name = :n', { n: value }), { ':n': value });
  });
});
