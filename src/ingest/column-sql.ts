// SQL for reading one staged text column as its declared type: the check that flags a bad value, and the cast.
import { BOOLEAN_WORDS, type ColumnSpec } from '../domain/import-format.js';
import { sqlIdentifier, sqlString } from '../store/store.js';

/** One validation rule on one column: a predicate over the staged row `s` that is true when the value is bad. */
export interface ColumnCheck {
  column: string;
  rule: string;
  message: string;
  bad: string;
}

/** A staged cell: blank cells are NULL and padding is trimmed once at staging (see `normaliseCells`). */
export function cell(column: string): string {
  return `s.${sqlIdentifier(column)}`;
}

/**
 * A timestamp text as DuckDB's cast reads it: ISO-8601 allows hh:mm without seconds and a lower-case t or z,
 * which the cast refuses, so those few are normalised first (upper case, ":00" seconds added); the usual
 * forms go to the cast untouched, since regular expressions cost more than the cast itself.
 */
function instantText(v: string): string {
  const usual = `substr(${v}, 17, 1) IN ('', ':') AND substr(${v}, 11, 1) <> 't' AND NOT suffix(${v}, 'z')`;
  const normalised = `regexp_replace(upper(${v}), '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(Z|[+-].*)$', '\\1:00\\2')`;
  return `CASE WHEN ${usual} THEN ${v} ELSE ${normalised} END`;
}

/** KPI-SPEC §1: an ISO date (YYYY-MM-DD), or a date-time carrying Z or a ±hh[:mm] offset. */
function isoShape(v: string): string {
  const offset = `suffix(upper(${v}), 'Z') OR regexp_matches(substr(${v}, 17), '[+-][0-9]{2}(:?[0-9]{2})?$')`;
  return `substr(${v}, 5, 1) = '-' AND substr(${v}, 8, 1) = '-' AND (length(${v}) = 10 OR ${offset})`;
}

const list = (values: readonly (string | number)[]) => values.map((v) => sqlString(String(v))).join(', ');

/** The checks of KPI-SPEC §2 for one column (the score rule lives in the responses checks). */
export function columnChecks(spec: ColumnSpec): ColumnCheck[] {
  const v = cell(spec.name);
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
        bad: `${present}(NOT (${isoShape(v)}) OR TRY_CAST(${instantText(v)} AS TIMESTAMPTZ) IS NULL)`,
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
    case 'email':
      checks.push({
        column: spec.name,
        rule: 'email',
        message: `${spec.name} must be an e-mail address like name@example.com`,
        bad: `${present}NOT regexp_full_match(${v}, '[^@\\s<>"]+@[^@\\s<>"]+\\.[^@\\s<>".]+')`,
      });
      break;
    case 'text':
    case 'score':
      break;
  }
  return checks;
}

/** A check beyond KPI-SPEC §2 for live input: an instant more than `hours` after now is refused. */
export function notFarFutureCheck(spec: ColumnSpec, now: Date, hours: number): ColumnCheck {
  const v = cell(spec.name);
  const limit = new Date(now.getTime() + hours * 3_600_000).toISOString();
  return {
    column: spec.name,
    rule: 'not_in_future',
    message: `${spec.name} is more than ${hours} h in the future`,
    bad: `${v} IS NOT NULL AND TRY_CAST(${instantText(v)} AS TIMESTAMPTZ) > CAST('${limit}' AS TIMESTAMPTZ)`,
  };
}

/** The cast of a staged text column to its stored type (NULL when blank). */
export function castColumn(spec: ColumnSpec): string {
  const v = cell(spec.name);
  switch (spec.type) {
    case 'instant':
      return `CAST(CAST(${instantText(v)} AS TIMESTAMPTZ) AS TIMESTAMP)`;
    case 'amount':
      return `CAST(CAST(${v} AS DOUBLE) AS DECIMAL(18, 4))`;
    case 'integer':
    case 'score':
      return `CAST(${v} AS INTEGER)`;
    case 'boolean':
      return `CASE WHEN lower(${v}) IN (${list(BOOLEAN_WORDS.true)}) THEN true WHEN ${v} IS NOT NULL THEN false END`;
    case 'enum':
      return `lower(${v})`;
    case 'text':
    case 'email':
      return v;
  }
}
