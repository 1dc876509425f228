// SQL for reading one staged text column as its declared type: the check that flags a bad value, and the cast.
import { BOOLEAN_WORDS, type ColumnSpec, INSTANT_PATTERN } from '../domain/import-format.js';
import { sqlIdentifier, sqlString } from '../store/store.js';

/** One validation rule on one column: a predicate over the staged row `s` that is true when the value is bad. */
export interface ColumnCheck {
  column: string;
  rule: string;
  message: string;
  bad: string;
}

export function trimmed(column: string): string {
  return `NULLIF(TRIM(s.${sqlIdentifier(column)}), '')`;
}

/**
 * A timestamp text as DuckDB's cast reads it: ISO-8601 allows hh:mm without seconds and a lower-case t or z,
 * which the cast refuses, so those are normalised first (upper case, ":00" seconds added).
 */
function instantText(v: string): string {
  return `regexp_replace(upper(${v}), '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(Z|[+-].*)$', '\\1:00\\2')`;
}

const list = (values: readonly (string | number)[]) => values.map((v) => sqlString(String(v))).join(', ');

/** The checks of KPI-SPEC §2 for one column (the score rule lives in the responses checks). */
export function columnChecks(spec: ColumnSpec): ColumnCheck[] {
  const v = trimmed(spec.name);
  const checks: ColumnCheck[] = [];
  if (spec.required) {
    checks.push({
      column: spec.name,
      rule: 'required',
      message: `${spec.name} is required`,
      bad: `${v} IS NULL`,
    });
  }
  const present = `${v} IS NOT NULL AND `;
  switch (spec.type) {
    case 'instant':
      checks.push({
        column: spec.name,
        rule: 'timestamp',
        message: `${spec.name} must be an ISO-8601 date (2025-03-01) or date-time with an offset or Z`,
        bad: `${present}(NOT regexp_full_match(${v}, ${sqlString(INSTANT_PATTERN)}) OR TRY_CAST(${instantText(v)} AS TIMESTAMPTZ) IS NULL)`,
      });
      break;
    case 'amount':
      checks.push({
        column: spec.name,
        rule: 'non_negative_number',
        message: `${spec.name} must be a finite number ≥ 0 with "." as decimal separator`,
        bad: `${present}(TRY_CAST(${v} AS DOUBLE) IS NULL OR NOT isfinite(TRY_CAST(${v} AS DOUBLE)) OR TRY_CAST(${v} AS DOUBLE) < 0)`,
      });
      break;
    case 'boolean':
      checks.push({
        column: spec.name,
        rule: 'boolean',
        message: `${spec.name} must be one of ${[...BOOLEAN_WORDS.true, ...BOOLEAN_WORDS.false].join('/')}`,
        bad: `${present}lower(${v}) NOT IN (${list([...BOOLEAN_WORDS.true, ...BOOLEAN_WORDS.false])})`,
      });
      break;
    case 'enum':
      checks.push({
        column: spec.name,
        rule: 'one_of',
        message: `${spec.name} must be one of ${spec.values?.join(', ')}`,
        bad: `${present}lower(${v}) NOT IN (${list(spec.values ?? [])})`,
      });
      break;
    case 'integer':
      if (spec.name === 'contacts') {
        checks.push({
          column: spec.name,
          rule: 'integer_at_least_1',
          message: 'contacts must be an integer ≥ 1',
          bad: `${present}(NOT regexp_full_match(${v}, '[0-9]{1,9}') OR CAST(${v} AS INTEGER) < 1)`,
        });
      }
      break;
    case 'text':
    case 'score':
      break;
  }
  return checks;
}

/** The cast of a staged text column to its stored type (NULL when blank). */
export function castColumn(spec: ColumnSpec): string {
  const v = trimmed(spec.name);
  switch (spec.type) {
    case 'instant':
      return `CAST(CAST(${instantText(v)} AS TIMESTAMPTZ) AS TIMESTAMP)`;
    case 'amount':
      return `CAST(${v} AS DOUBLE)`;
    case 'integer':
    case 'score':
      return `CAST(${v} AS INTEGER)`;
    case 'boolean':
      return `CASE WHEN lower(${v}) IN (${list(BOOLEAN_WORDS.true)}) THEN true WHEN ${v} IS NOT NULL THEN false END`;
    case 'enum':
      return `lower(${v})`;
    case 'text':
      return v;
  }
}
