import type { ImportIssue } from './places.ts';
import { displayValue, splitText, stringText, toList, toText } from './places-cells.ts';
import { MESSAGES } from './places-row-messages.ts';
import { V0_FIELD_MAPPING } from './places-v0.ts';
import type { SchemaField } from './schema-fields.ts';

/**
 * One imported row being read: its raw values, the renamed keys of the old schema (v0) read under their
 * v1 names, each field as text or list, and the issues found so far.
 */

/** v0 keys whose values are lists, split on `;` (v0) as well as `|` when renamed. */
const V0_RENAMED_LISTS = new Set<string>(['courriels', 'autres_formations_labels']);

/** Where the issues of a row go (RowReader). */
export interface IssueSink {
  warn(field: SchemaField | string, value: unknown, message: string): void;
}

const V0_FIELD_ENTRIES = Object.entries(V0_FIELD_MAPPING);

/**
 * The record with its renamed v0 keys read under their v1 names (both kept when a row carries both), and
 * one warning per v0 key moved or dropped.
 */
function readV0Fields(input: Record<string, unknown>, sink: IssueSink): Record<string, unknown> {
  let raw: Record<string, unknown> | null = null;
  for (const [v0Field, target] of V0_FIELD_ENTRIES) {
    const value = input[v0Field];
    if (value === undefined || value === null) continue;
    const { text } = toText(value);
    if (text === null) continue;
    if ('dropped' in target) {
      sink.warn(v0Field, value, MESSAGES.v0FieldDropped(v0Field, target.reason));
      continue;
    }
    raw ??= { ...input };
    const field = target.renamed;
    const existing = toText(input[field]).text;
    if (V0_RENAMED_LISTS.has(field)) {
      const items = text.split(/[;|]/).map((item) => item.trim());
      raw[field] = existing === null ? items : [input[field], ...items];
      sink.warn(v0Field, value, MESSAGES.v0FieldRenamed(v0Field, field));
    } else if (existing === null) {
      raw[field] = value;
      sink.warn(v0Field, value, MESSAGES.v0FieldRenamed(v0Field, field));
    } else if (existing !== text) {
      sink.warn(v0Field, value, MESSAGES.v0FieldIgnored(v0Field, field));
    }
  }
  return raw ?? input;
}

// A line break inside a cell separates list values, as the pipe does (spreadsheets join lists with it).
const PIPE = /\||\r\n?|\n/;

/**
 * One row being read: its raw values (v0 keys read under their v1 names) and the issues found so far.
 * Methods rather than closures made afresh for each row (an import reads tens of thousands of rows).
 */
export class RowReader implements IssueSink {
  readonly row: number;
  readonly id: string | null;
  readonly warnings: ImportIssue[] = [];
  readonly errors: ImportIssue[] = [];
  readonly raw: Record<string, unknown>;

  constructor(row: number, id: string | null, input: Record<string, unknown>) {
    this.row = row;
    this.id = id;
    this.raw = readV0Fields(input, this);
  }

  /** `field` is a schema field, or a v0 one when the issue is about a value read under a v0 key. */
  issue(field: SchemaField | string, value: unknown, message: string): ImportIssue {
    return { row: this.row, id: this.id, field, value: displayValue(value), message };
  }

  warn(field: SchemaField | string, value: unknown, message: string): void {
    this.warnings.push(this.issue(field, value, message));
  }

  refuse(field: SchemaField, value: unknown, message: string): void {
    this.errors.push(this.issue(field, value, message));
  }

  /** The field as trimmed text, null when absent or empty; a structured value is warned about and dropped. */
  text(field: SchemaField): string | null {
    const value = this.raw[field];
    if (typeof value === 'string') return stringText(value);
    const { text, structured } = toText(value);
    if (structured) this.warn(field, value, MESSAGES.structuredValue(field));
    return text;
  }

  list(field: SchemaField, separators: RegExp = PIPE): string[] {
    const value = this.raw[field];
    if (typeof value === 'string') return splitText(value, separators);
    if (value === undefined || value === null) return [];
    const { items, structured } = toList(value, separators);
    if (structured) this.warn(field, this.raw[field], MESSAGES.structuredValue(field));
    return items;
  }

  required(field: SchemaField, value: string | null): string {
    if (value === null) this.refuse(field, this.raw[field], MESSAGES.requiredMissing(field));
    return value ?? '';
  }
}
