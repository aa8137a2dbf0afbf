import type { CallToolResult } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import type { Catalog } from '../catalog';
import type { DatabaseWorker } from '../databaseWorker';
import { DATABASE_PROPERTY, payloadResult, readOnlyAnnotations, reportRunning } from './common';

export interface DescribeTableArgs {
  database?: string;
  table: string;
}

export function describeTableTool(catalog: Catalog, worker: DatabaseWorker): RegisteredTool {
  return defineTool<DescribeTableArgs>({
    tool: {
      name: 'describe_table',
      title: 'Describe a table',
      description:
        'Describes one table or view of an SQLite database: its columns (declared type, NOT NULL, default value, position in the primary key), ' +
        'its primary key, its indexes (unique or not, partial or not, their columns), its foreign keys, and the CREATE statement that defines it. ' +
        'The table name is matched exactly as SQLite does (case-insensitively for ASCII letters) and is never interpreted as SQL. ' +
        'An unknown name is answered with the tables and views that exist.',
      inputSchema: {
        type: 'object',
        properties: {
          database: DATABASE_PROPERTY,
          table: { type: 'string', minLength: 1, maxLength: 1024, description: 'The table or view name, as list_tables gives it, without quotes.' },
        },
        required: ['table'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          database: { type: 'string' },
          name: { type: 'string', description: 'The name as the schema spells it.' },
          type: { type: 'string', enum: ['table', 'view', 'virtual'] },
          columns: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                type: { type: 'string', description: 'The declared type; empty when none was declared.' },
                notNull: { type: 'boolean' },
                default: { type: ['string', 'null'], description: 'The default value as SQL text, or null.' },
                primaryKey: { type: 'integer', description: 'Position in the primary key, from 1; 0 when not part of it.' },
                generated: { type: 'boolean', description: 'True for a generated column.' },
              },
              required: ['name', 'type', 'notNull', 'default', 'primaryKey'],
              additionalProperties: false,
            },
          },
          primaryKey: { type: 'array', items: { type: 'string' } },
          indexes: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                unique: { type: 'boolean' },
                origin: { type: 'string', description: 'c: CREATE INDEX; u: a UNIQUE constraint; pk: the PRIMARY KEY.' },
                partial: { type: 'boolean' },
                columns: { type: 'array', items: { type: 'string' } },
              },
              required: ['name', 'unique', 'origin', 'partial', 'columns'],
              additionalProperties: false,
            },
          },
          foreignKeys: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                columns: { type: 'array', items: { type: 'string' } },
                table: { type: 'string' },
                toColumns: { type: 'array', items: { type: ['string', 'null'] }, description: 'null: the referenced table\'s primary key.' },
                onUpdate: { type: 'string' },
                onDelete: { type: 'string' },
              },
              required: ['columns', 'table', 'toColumns', 'onUpdate', 'onDelete'],
              additionalProperties: false,
            },
          },
          sql: { type: ['string', 'null'], description: 'The CREATE statement.' },
        },
        required: ['database', 'name', 'type', 'columns', 'primaryKey', 'indexes', 'foreignKeys', 'sql'],
        additionalProperties: false,
      },
      annotations: readOnlyAnnotations('Describe a table'),
    },
    async run(args, context): Promise<CallToolResult> {
      const database = catalog.find(args.database);
      return payloadResult(await worker.run({ op: 'describe_table', database, table: args.table }, 'Describing the table', context.signal, reportRunning(context)));
    },
  });
}
