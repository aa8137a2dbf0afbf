import type { CallToolResult } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import type { Catalog } from '../catalog';
import type { DatabaseWorker } from '../databaseWorker';
import { MAX_TABLES, ROW_COUNT_LIMIT } from '../engine/schemaInfo';
import { DATABASE_PROPERTY, payloadResult, readOnlyAnnotations, reportRunning } from './common';

export interface ListTablesArgs {
  database?: string;
}

export function listTablesTool(catalog: Catalog, worker: DatabaseWorker): RegisteredTool {
  return defineTool<ListTablesArgs>({
    tool: {
      name: 'list_tables',
      title: 'List tables and views',
      description:
        'Lists the tables and views of an SQLite database, sorted by name, with the type of each (table, view or virtual). ' +
        `Ordinary tables carry a row count, counted up to ${ROW_COUNT_LIMIT} rows: a larger table reports ${ROW_COUNT_LIMIT} with rowCountCapped: true. ` +
        'Views and virtual tables are not counted (counting them could run arbitrary queries). ' +
        `SQLite's internal sqlite_* tables are left out; at most ${MAX_TABLES} entries are listed. ` +
        'Call describe_table for the columns, keys and indexes of one table.',
      inputSchema: { type: 'object', properties: { database: DATABASE_PROPERTY }, additionalProperties: false },
      outputSchema: {
        type: 'object',
        properties: {
          database: { type: 'string' },
          tables: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                type: { type: 'string', enum: ['table', 'view', 'virtual'] },
                rowCount: { type: 'integer', description: 'Rows, counted up to rowCountLimit; ordinary tables only.' },
                rowCountCapped: { type: 'boolean', description: 'True when the table has more rows than rowCountLimit.' },
              },
              required: ['name', 'type'],
              additionalProperties: false,
            },
          },
          truncated: { type: 'boolean', description: `True when the database has more than ${MAX_TABLES} tables and views.` },
          rowCountLimit: { type: 'integer' },
        },
        required: ['database', 'tables', 'truncated', 'rowCountLimit'],
        additionalProperties: false,
      },
      annotations: readOnlyAnnotations('List tables and views'),
    },
    async run(args, context): Promise<CallToolResult> {
      const database = catalog.find(args.database);
      return payloadResult(await worker.run({ op: 'list_tables', database }, 'Listing the tables', context.signal, reportRunning(context)));
    },
  });
}
