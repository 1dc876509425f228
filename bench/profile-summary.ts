// Condenses a Profile into the few lines worth printing: the slowest import phases and report statements.
import type { Profile } from './profile.js';
import type { StatementTime } from './timing-store.js';

const TOP = 8;

export function describeProfile(profile: Profile): string[] {
  const importTotal = profile.importPhases.reduce((sum, p) => sum + p.seconds, 0);
  const reportTotal = profile.reportStatements.reduce((sum, s) => sum + s.seconds, 0);
  const phases = [...profile.importPhases].sort((a, b) => b.seconds - a.seconds).slice(0, TOP);
  return [
    `  import ${importTotal.toFixed(2)} s in-process; slowest phases:`,
    ...phases.map((p) => `    ${p.seconds.toFixed(2).padStart(7)} s  ${p.phase}`),
    `  import: slowest statements:`,
    ...slowest(profile.importStatements),
    `  report ${reportTotal.toFixed(3)} s in SQL (${profile.reportStatements.length} statements); slowest:`,
    ...slowest(profile.reportStatements),
  ];
}

function slowest(statements: readonly StatementTime[]): string[] {
  return [...statements]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, TOP)
    .map(
      (s) =>
        `    ${s.seconds.toFixed(3).padStart(8)} s  [${s.tables.join(', ')}] ${s.statement.slice(0, 70)}`,
    );
}
