// Domain errors: a kind the edges map to exit codes / HTTP statuses, and a stable machine code.

export type ErrorKind =
  | 'invalid_input'
  | 'usage'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'internal';

/** One problem found in an input file, located precisely enough to fix it. */
export interface InputIssue {
  file: string;
  line: number;
  column: string;
  value: string | null;
  rule: string;
  message: string;
}

/**
 * An error Fidelio expects and can explain.
 * @example throw new FidelioError('usage', 'unknown_period', 'period must be one of day, week, …');
 */
export class FidelioError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(message);
    this.name = 'FidelioError';
  }
}

/** Renders an input issue as `file:line:column message`, the shape editors and terminals link. */
export function formatIssue(issue: InputIssue): string {
  const value = issue.value === null ? 'empty' : JSON.stringify(issue.value);
  return `${issue.file}:${issue.line}:${issue.column} ${issue.message} (value ${value}, rule ${issue.rule})`;
}
