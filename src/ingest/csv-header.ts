// Reads and checks the header row of an import file before DuckDB reads the rest.
import { open } from 'node:fs/promises';
import type { InputIssue } from '../domain/errors.js';
import type { FileSpec } from '../domain/import-format.js';

/** The column names of a CSV file's first line (quotes and a UTF-8 BOM removed); [] for an empty file. */
export async function readHeader(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let line = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const end = line.search(/\r?\n/);
    if (end >= 0) line = line.slice(0, end);
    if (line.trim() === '') return [];
    return splitHeader(line);
  } finally {
    await handle.close();
  }
}

function splitHeader(line: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      current += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      names.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  names.push(current.trim());
  return names;
}

/** Missing required columns, unknown columns (outside accounts.csv), duplicated or blank names. */
export function headerIssues(spec: FileSpec, header: readonly string[]): InputIssue[] {
  const issue = (column: string, rule: string, message: string): InputIssue => ({
    file: spec.file,
    line: 1,
    column,
    value: column,
    rule,
    message,
  });
  if (header.length === 0)
    return [issue('-', 'header_required', 'the file is empty; a header row is required')];
  const issues: InputIssue[] = [];
  const known = new Set(spec.columns.map((c) => c.name));
  const seen = new Set<string>();
  for (const [index, name] of header.entries()) {
    if (name === '')
      issues.push(issue(`#${index + 1}`, 'blank_column_name', `column ${index + 1} has no name`));
    else if (seen.has(name))
      issues.push(issue(name, 'duplicate_column', `column ${name} appears twice in the header`));
    else if (!known.has(name) && !spec.extraColumnsAreAttributes) {
      issues.push(
        issue(name, 'unknown_column', `unknown column ${name}; ${spec.file} takes ${[...known].join(', ')}`),
      );
    }
    seen.add(name);
  }
  for (const column of spec.columns) {
    if (column.required && !seen.has(column.name)) {
      issues.push(
        issue(column.name, 'missing_column', `required column ${column.name} is missing from the header`),
      );
    }
  }
  return issues;
}
