// The respondent pages' style sheet, served at /s/assets/respondent.css: mobile first, large targets (44 px),
// visible focus, and enough contrast (WCAG AA) in light and dark schemes.
import { createHash } from 'node:crypto';

/**
 * A scale of n options (class n-2 … n-11) in one row; on phones, scales longer than 6 wrap onto two rows of 6.
 * Classes, not inline styles: the pages' content security policy allows no inline style.
 */
function columnRules(): string {
  const sizes = Array.from({ length: 10 }, (_, i) => i + 2);
  const row = (n: number) => `.scale.n-${n} { grid-template-columns: repeat(${n}, minmax(2.75rem, 1fr)); }`;
  return [
    ...sizes.filter((n) => n <= 6).map(row),
    `@media (min-width: 34rem) { ${sizes
      .filter((n) => n > 6)
      .map(row)
      .join(' ')} }`,
  ].join('\n');
}

export const RESPONDENT_CSS = `
:root { color-scheme: light dark; --ink: #111827; --muted: #4b5563; --line: #6b7280; --bg: #f3f4f6;
  --card: #ffffff; --accent: #1d4ed8; --on-accent: #ffffff; --error: #b91c1c; --focus: #f59e0b; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #f9fafb; --muted: #d1d5db; --line: #9ca3af; --bg: #111827; --card: #1f2937;
    --accent: #93c5fd; --on-accent: #111827; --error: #fca5a5; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
.card { background: var(--card); border-radius: 0.75rem; padding: 1.25rem 1rem 1.5rem; }
@media (min-width: 40rem) { main { padding: 2.5rem 1rem; } .card { padding: 2rem 1.5rem; } }
h1 { font-size: 1.375rem; line-height: 1.3; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.progress { margin: 0 0 1.25rem; color: var(--muted); font-size: 0.9375rem; }
.progress p { margin: 0 0 0.25rem; }
progress { width: 100%; height: 0.5rem; accent-color: var(--accent); }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
legend { padding: 0; width: 100%; }
.hint { color: var(--muted); font-size: 0.9375rem; }
.scale { display: grid; grid-template-columns: repeat(6, minmax(2.75rem, 1fr)); gap: 0.375rem; margin: 0 0 0.5rem; }
${columnRules()}
.option { position: relative; }
.option input { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0; opacity: 0; cursor: pointer; }
.option label { display: flex; align-items: center; justify-content: center; min-height: 2.75rem; min-width: 2.75rem;
  padding: 0.5rem 0.75rem; border: 2px solid var(--line); border-radius: 0.5rem; background: var(--card);
  font-weight: 600; cursor: pointer; }
.choices { display: grid; gap: 0.5rem; margin: 0 0 1rem; }
.choices .option label { justify-content: flex-start; font-weight: 500; text-align: left; }
.option input:checked + label { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
.option input:focus-visible + label { outline: 3px solid var(--focus); outline-offset: 2px; }
.option input:hover + label { border-color: var(--accent); }
textarea { width: 100%; min-height: 8rem; padding: 0.75rem; border: 2px solid var(--line); border-radius: 0.5rem;
  background: var(--card); color: var(--ink); font: inherit; }
textarea[aria-invalid="true"] { border-color: var(--error); }
button { display: inline-flex; align-items: center; justify-content: center; min-height: 2.75rem; min-width: 8rem;
  margin-top: 1rem; padding: 0.625rem 1.5rem; border: 0; border-radius: 0.5rem; background: var(--accent);
  color: var(--on-accent); font: inherit; font-weight: 600; cursor: pointer; }
@media (max-width: 33.99rem) { button { width: 100%; } }
.error-summary { border: 3px solid var(--error); border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 0 0 1.25rem; }
.error-summary h2 { font-size: 1.0625rem; margin: 0 0 0.5rem; }
.error-summary ul { margin: 0; padding-left: 1.25rem; }
.error-summary a { color: var(--error); font-weight: 600; }
.error { color: var(--error); font-weight: 600; }
`;

/** Changes with the style sheet, so a page never pairs with an older cached copy. */
export const RESPONDENT_CSS_VERSION = createHash('sha256').update(RESPONDENT_CSS).digest('hex').slice(0, 12);
