// What the survey settings' forms share: a failure as ApiError, the problems shown beside a field (the server's
// in English, marked so, and the page's own in the reader's language), the attributes that tie a field to its
// hint and problems, and the line at the top of a form that a rejected save puts there.
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldProblem } from '../api/client';
import { ErrorState } from './status';

export function asApiError(failure: unknown): ApiError {
  if (failure instanceof ApiError) return failure;
  return new ApiError(0, 'client', failure instanceof Error ? failure.message : String(failure));
}

/** The server's problems whose path is `path` exactly. */
export function problemsFor(error: ApiError | null, path: string): string[] {
  return error ? error.errors.filter((e) => e.path === path).map((e) => e.message) : [];
}

/** A field's problems; `id` is what the field's aria-describedby names. Nothing when there are none. */
export function Problems({
  id,
  server = [],
  local = [],
}: {
  id: string;
  server?: string[];
  local?: string[];
}) {
  if (server.length === 0 && local.length === 0) return null;
  return (
    <ul id={id} className="form-error field-problems" data-field-error="">
      {local.map((m) => (
        <li key={`local:${m}`}>{m}</li>
      ))}
      {/* The server writes its problems in English. */}
      {server.map((m) => (
        <li key={`server:${m}`} lang="en">
          {m}
        </li>
      ))}
    </ul>
  );
}

/** aria-describedby (the hint, then the problems) and aria-invalid of a field. */
export function described(problemsId: string, invalid: boolean, hintId?: string) {
  const ids = [hintId ?? '', invalid ? problemsId : ''].filter(Boolean);
  return {
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    'aria-invalid': invalid ? true : undefined,
  };
}

/**
 * The top of a form after a rejected save: when every problem is shown beside a field, one line that says so;
 * otherwise why the save failed, and the problems that name no field of the form.
 */
export function FormError({
  error,
  fieldPaths,
  ref,
}: {
  error: ApiError;
  fieldPaths: (path: string) => boolean;
  ref?: Ref<HTMLDivElement>;
}) {
  const { t } = useTranslation();
  const other: FieldProblem[] = error.errors.filter((e) => !fieldPaths(e.path));
  const besideFields = error.errors.length - other.length;
  return (
    <div ref={ref} tabIndex={-1} data-form-error={error.code}>
      {besideFields > 0 && other.length === 0 ? (
        <p className="form-error" role="alert">
          {t('surveySettings.checkFields', { count: besideFields })}
        </p>
      ) : (
        <>
          <ErrorState error={error} />
          {other.length > 0 ? (
            <ul className="form-error field-problems" data-field-error="">
              {other.map((e) => (
                <li key={`${e.path}:${e.message}`} lang="en">
                  {e.path}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </div>
  );
}
