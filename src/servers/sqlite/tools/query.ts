import type { CallToolResult } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import type { Catalog } from '../catalog';
import type { DatabaseWorker } from '../databaseWorker';
import { formatBytes, formatDuration } from '../format';
import type { QueryParams } from '../parameters';
import { ALLOWED_PRAGMAS } from '../statementPolicy';
import { DATABASE_PROPERTY, payloadResult, readOnlyAnnotations, reportRunning } from './common';

export interface QueryArgs {
  database?: string;
  sql: string;
  params?: QueryParams;
  maxRows?: number;
}

export interface QueryLimits {
  readonly maxRows: number;
  readonly maxResultBytes: number;
  readonly timeoutMs: number;
}

export const MAX_SQL_CHARS = 100_000;

const VALUE = { type: ['string', 'number', 'boolean', 'null'] } as const;

export function queryTool(catalog: Catalog, worker: DatabaseWorker, limits: QueryLimits): RegisteredTool {
  return defineTool<QueryArgs>({
    tool: {
      name: 'query',
      title: 'Query an SQLite database',
      description:
        'Runs one read-only SQL statement (SQLite dialect) on a database and returns the rows. ' +
        `Allowed: SELECT, WITH … SELECT, VALUES, EXPLAIN or EXPLAIN QUERY PLAN of those, and the read-only PRAGMAs ${ALLOWED_PRAGMAS.join(', ')} (those that take a value only without one). ` +
        'Anything that would write is refused (INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP, ALTER, ATTACH, DETACH, VACUUM, transactions, other PRAGMAs), ' +
        'and so is any text after the first statement other than comments and whitespace: send one statement per call. ' +
        'Put values in params instead of writing them into sql: an array for ? placeholders, or an object for :name placeholders (keys with or without the colon). ' +
        `At most ${limits.maxRows} rows and ${formatBytes(limits.maxResultBytes)} of rows (as JSON) are returned; truncated: true says more rows exist, so page with LIMIT and OFFSET. ` +
        `A statement running longer than ${formatDuration(limits.timeoutMs)} is stopped. ` +
        'Rows are arrays in column order; integers beyond ±9007199254740991 come back as decimal strings and blobs as {base64, bytes}. ' +
        'Call list_tables and describe_table first to learn the schema.',
      inputSchema: {
        type: 'object',
        properties: {
          database: DATABASE_PROPERTY,
          sql: { type: 'string', minLength: 1, maxLength: MAX_SQL_CHARS, description: 'One SQL statement; a trailing semicolon and comments are fine.' },
          params: {
            type: ['array', 'object'],
            items: VALUE,
            maxItems: 32766,
            additionalProperties: VALUE,
            description: 'Values for the placeholders: an array for ?, ?NNN; an object for :name, @name, $name.',
          },
          maxRows: { type: 'integer', minimum: 1, description: `Most rows to return. Default and upper limit: ${limits.maxRows}.` },
        },
        required: ['sql'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          database: { type: 'string' },
          columns: { type: 'array', items: { type: 'string' } },
          rows: {
            type: 'array',
            items: {
              type: 'array',
              items: {
                type: ['string', 'number', 'null', 'object'],
                properties: { base64: { type: 'string' }, bytes: { type: 'integer' } },
                required: ['base64', 'bytes'],
                additionalProperties: false,
              },
            },
          },
          rowCount: { type: 'integer', description: 'The number of rows returned.' },
          truncated: { type: 'boolean', description: 'True when the statement has more rows than were returned.' },
          truncatedBy: { type: 'string', enum: ['rows', 'bytes'], description: 'Which limit cut the rows, when truncated.' },
        },
        required: ['database', 'columns', 'rows', 'rowCount', 'truncated'],
        additionalProperties: false,
      },
      annotations: readOnlyAnnotations('Query an SQLite database'),
    },
    async run(args, context): Promise<CallToolResult> {
      const database = catalog.find(args.database);
      const operation = { op: 'query', database, sql: args.sql, params: args.params, maxRows: args.maxRows } as const;
      return payloadResult(await worker.run(operation, 'The query', context.signal, reportRunning(context)));
    },
  });
}
