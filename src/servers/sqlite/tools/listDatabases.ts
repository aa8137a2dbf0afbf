import * as fs from 'node:fs';
import type { CallToolResult, JsonObject } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import type { Catalog } from '../catalog';
import { oversizeMessage } from '../databaseFile';
import { formatBytes } from '../format';
import { readOnlyAnnotations } from './common';

export function memoryNote(maxDatabaseBytes: number): string {
  const limit = formatBytes(maxDatabaseBytes);
  return (
    `Each database is read whole into memory when first used (about its file size) and kept while the copies fit in ${limit}; ` +
    `files over ${limit} are refused. A file changed on disk is read again before the next call. Files are never written.`
  );
}

export function listDatabasesTool(catalog: Catalog, maxDatabaseBytes: number): RegisteredTool {
  return defineTool<Record<string, never>>({
    tool: {
      name: 'list_databases',
      title: 'List SQLite databases',
      description:
        'Lists the SQLite databases this server can read: for each, the id the other tools take as database, its file path and its size in bytes. ' +
        `${memoryNote(maxDatabaseBytes)} ` +
        'A database that is too large, unreachable, or has a write-ahead log whose changes are not visible carries a note. ' +
        'Next, call list_tables to see what a database holds.',
      inputSchema: { type: 'object', additionalProperties: false },
      outputSchema: {
        type: 'object',
        properties: {
          databases: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string', description: 'The name the other tools take as database.' },
                path: { type: 'string' },
                sizeBytes: { type: 'integer', description: 'Absent when the file cannot be reached.' },
                tooLarge: { type: 'boolean', description: 'True when the file is over the size limit and will be refused.' },
                note: { type: 'string' },
              },
              required: ['id', 'path', 'tooLarge'],
              additionalProperties: false,
            },
          },
          maxDatabaseBytes: { type: 'integer' },
          walkTruncated: { type: 'boolean', description: 'True when a folder walk stopped at its depth or count limit, so databases may be missing.' },
          memoryNote: { type: 'string' },
        },
        required: ['databases', 'maxDatabaseBytes', 'walkTruncated', 'memoryNote'],
        additionalProperties: false,
      },
      annotations: readOnlyAnnotations('List SQLite databases'),
    },
    run(): CallToolResult {
      const listing = catalog.list();
      const databases = listing.databases.map((ref) => {
        const entry: JsonObject = { id: ref.id, path: ref.path, tooLarge: false };
        const stat = fs.statSync(ref.path, { throwIfNoEntry: false });
        if (stat === undefined) {
          entry['note'] = 'The file cannot be reached: it may have been moved or deleted.';
          return entry;
        }
        entry['sizeBytes'] = stat.size;
        if (stat.size > maxDatabaseBytes) {
          entry['tooLarge'] = true;
          entry['note'] = oversizeMessage(ref.id, stat.size, maxDatabaseBytes);
        } else if ((fs.statSync(`${ref.path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
          entry['note'] = `Has a write-ahead log (${ref.path}-wal): changes not yet checkpointed into the main file are not visible here.`;
        }
        return entry;
      });
      const structured: JsonObject = { databases, maxDatabaseBytes, walkTruncated: listing.walkTruncated, memoryNote: memoryNote(maxDatabaseBytes) };
      return { content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }], structuredContent: structured };
    },
  });
}
