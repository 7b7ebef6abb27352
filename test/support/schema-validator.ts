/**
 * A small validator of rows (every value a string, as in a CSV) against a Frictionless Table Schema, enough
 * for the national schemas we import and export: required, unique, pattern, minLength/maxLength, enum, and
 * the types string, number, integer, boolean and date. The constraints are read from the schema given, never
 * restated here, so a reference test proves our output against the official file itself.
 */

interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
}

interface SchemaFieldDefinition {
  name: string;
  type: string;
  constraints: FieldConstraints;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFields(schemaJson: unknown): SchemaFieldDefinition[] {
  if (!isRecord(schemaJson) || !Array.isArray(schemaJson.fields)) {
    throw new Error('Not a Table Schema: no "fields" array.');
  }
  return schemaJson.fields.map((field, index) => {
    if (!isRecord(field) || typeof field.name !== 'string') {
      throw new Error(`Not a Table Schema: field #${index + 1} has no name.`);
    }
    return {
      name: field.name,
      type: typeof field.type === 'string' ? field.type : 'string',
      constraints: isRecord(field.constraints) ? (field.constraints as FieldConstraints) : {},
    };
  });
}

/**
 * Table Schema patterns follow XML Schema regular expressions, which are implicitly anchored: the whole value
 * must match, hence the ^(?:…)$ around the pattern.
 */
function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function checkType(type: string, value: string): string | null {
  switch (type) {
    case 'number':
      return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value) && Number.isFinite(Number(value))
        ? null
        : 'is not a number';
    case 'integer':
      return /^[+-]?\d+$/.test(value) ? null : 'is not an integer';
    case 'boolean':
      return /^(?:true|false|True|False|TRUE|FALSE|1|0)$/.test(value) ? null : 'is not a boolean';
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return 'is not a date YYYY-MM-DD';
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
        ? null
        : 'is not a calendar date';
    }
    default:
      return null;
  }
}

/**
 * Validates rows (field name → string, "" meaning absent) against a Table Schema and returns one message per
 * failure, naming the 1-based row, the field and the value; an empty list means every row is valid. Columns
 * the schema does not know are failures too.
 */
export function validateAgainstSchema(schemaJson: unknown, rows: Record<string, string>[]): string[] {
  const fields = readFields(schemaJson);
  const known = new Set(fields.map((field) => field.name));
  const patterns = new Map<string, RegExp>();
  for (const field of fields) {
    if (field.constraints.pattern !== undefined)
      patterns.set(field.name, compilePattern(field.constraints.pattern));
  }
  const errors: string[] = [];
  const seen = new Map<string, Map<string, number>>();

  rows.forEach((row, index) => {
    const where = `row ${index + 1}`;
    for (const column of Object.keys(row)) {
      if (!known.has(column)) errors.push(`${where}: column "${column}" is not in the schema`);
    }
    for (const field of fields) {
      const value = row[field.name];
      const label = `${where}, field "${field.name}"`;
      if (value === undefined) {
        errors.push(`${label}: column missing`);
        continue;
      }
      if (value === '') {
        if (field.constraints.required) errors.push(`${label}: required but empty`);
        continue;
      }
      const typeError = checkType(field.type, value);
      if (typeError !== null) errors.push(`${label}: "${value}" ${typeError}`);
      const pattern = patterns.get(field.name);
      if (pattern && !pattern.test(value)) {
        errors.push(`${label}: "${value}" does not match the pattern ${field.constraints.pattern}`);
      }
      const length = Array.from(value).length;
      if (field.constraints.maxLength !== undefined && length > field.constraints.maxLength) {
        errors.push(`${label}: ${length} characters, more than maxLength ${field.constraints.maxLength}`);
      }
      if (field.constraints.minLength !== undefined && length < field.constraints.minLength) {
        errors.push(`${label}: ${length} characters, fewer than minLength ${field.constraints.minLength}`);
      }
      if (field.constraints.enum !== undefined && !field.constraints.enum.map(String).includes(value)) {
        errors.push(`${label}: "${value}" is not one of the enum values`);
      }
      if (field.constraints.unique) {
        const values = seen.get(field.name) ?? new Map<string, number>();
        seen.set(field.name, values);
        const first = values.get(value);
        if (first !== undefined) errors.push(`${label}: "${value}" already used on row ${first}`);
        else values.set(value, index + 1);
      }
    }
  });
  return errors;
}
