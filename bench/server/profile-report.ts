// --profile: the commit cost without HTTP (a child running commit-cost.js) and the printed account of where
// each ingest scenario's time went — statements per commit, the writer's busy time, the main thread's CPU.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured } from '../child.js';
import { progress } from '../log.js';
import { benchScript } from '../paths.js';
import type { CommitCost } from './commit-cost.js';
import type { CommitFloor } from './commit-floor.js';
import type { IngestResult } from './ingest-scenarios.js';

export interface CommitCosts {
  costs: CommitCost[];
  floors: CommitFloor[];
}

export async function benchCommitCost(): Promise<CommitCosts> {
  progress('profile: group commits without HTTP (storeLiveBatch in one transaction), file and memory stores');
  const scratch = await mkdtemp(join(tmpdir(), 'fidelio-commit-cost-'));
  try {
    const out = join(scratch, 'commit-cost.json');
    await runMeasured('node', [benchScript('server/commit-cost.js'), join(scratch, 'cost.duckdb'), out]);
    return JSON.parse(await readFile(out, 'utf8')) as CommitCosts;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export function commitCostTable({ costs, floors }: CommitCosts): string {
  const lines = [
    '| store | rows | requests per commit | median ms per commit | rows/s of one writer |',
    '|---|---|---:|---:|---:|',
  ];
  for (const c of costs) {
    const rows = c.kind === 'answers' ? '1 answer' : `${c.rowsPerRequest} usage rows`;
    lines.push(
      `| ${c.store} | ${rows} | ${c.requests} | ${c.medianMs.toFixed(1)} | ${Math.round(c.rowsPerSecond).toLocaleString('en-US')} |`,
    );
  }
  lines.push('', '| smallest durable write | answers | median ms | p90 ms |', '|---|---:|---:|---:|');
  for (const f of floors)
    lines.push(`| ${f.how} | ${f.answers} | ${f.medianMs.toFixed(2)} | ${f.p90Ms.toFixed(2)} |`);
  return lines.join('\n');
}

/** Where one ingest scenario's time went, as printed lines. */
export function describeIngestProfile(result: IngestResult): string[] {
  const lines = [`${result.load.label}:`];
  const s = result.server.statements;
  if (s) {
    const statements = s.statements.reduce((a, b) => a + b.count, 0);
    lines.push(
      `  ${result.server.requests} requests in ${s.commits} commits (${(result.server.requests / s.commits).toFixed(1)} per commit, ` +
        `${(statements / s.commits).toFixed(1)} statements per commit); commit cycle p50 ${s.commitCycleMs.p50.toFixed(1)} ms, ` +
        `p99 ${s.commitCycleMs.p99.toFixed(1)} ms; writer busy ${((s.commitCycleMs.total / 1000 / s.seconds) * 100).toFixed(0)} % of the time`,
    );
    for (const st of s.statements.slice(0, 10))
      lines.push(
        `  ${(st.totalMs / s.commits).toFixed(2).padStart(7)} ms/commit  ${st.statement.slice(0, 80)}`,
      );
  }
  for (const cpu of result.cpuProfile ?? []) {
    lines.push(
      `  main thread: ${cpu.byPlace
        .slice(0, 8)
        .map((p) => `${p.place} ${(p.share * 100).toFixed(1)} %`)
        .join(', ')}`,
    );
  }
  return lines;
}
