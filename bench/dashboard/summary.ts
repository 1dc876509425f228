// The dashboard benchmark's figures: per-route latency percentiles, and the table printed against the targets.
import { median } from '../stats.js';
import type { ApiCall, LoginRun } from './browser.js';

export const TARGET_INTERACTIVE_MS = 1500;
export const TARGET_API_P95_MS = 100;

export interface RouteStats {
  route: string;
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface DashboardResult {
  date: string;
  commit: string;
  accounts: number;
  seed: number;
  serverStartMs: number;
  cold: LoginRun;
  warm: LoginRun[];
  coldRoutes: RouteStats[];
  warmRoutes: RouteStats[];
  warmInteractiveMedianMs: number;
  [extra: string]: unknown;
}

/** Nearest-rank percentile (p95 of fewer than 20 samples is their maximum). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function routeStats(calls: readonly ApiCall[]): RouteStats[] {
  const byRoute = new Map<string, number[]>();
  for (const call of calls) {
    const key = `${call.method} ${call.route}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), call.ms]);
  }
  const all = calls.map((c) => c.ms);
  const rows = [...byRoute].map(([route, ms]) => stats(route, ms));
  return all.length > 0 ? [...rows.sort((a, b) => b.p95 - a.p95), stats('all /api/ requests', all)] : rows;
}

function stats(route: string, ms: readonly number[]): RouteStats {
  return { route, count: ms.length, p50: median(ms), p95: percentile(ms, 95), max: Math.max(...ms) };
}

const fmt = (ms: number) => ms.toLocaleString('en-US', { maximumFractionDigits: ms < 10 ? 1 : 0 });
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

export function dashboardTable(result: DashboardResult): string {
  const n = result.accounts.toLocaleString('en-US');
  const warmRuns = result.warm.map((r) => fmt(r.interactiveMs)).join(', ');
  const lines = [
    `Dashboard overview, ${n} accounts (server ready ${fmt(result.serverStartMs)} ms after spawn)`,
    '',
    '| login → overview interactive | ms | target | met? |',
    '|---|---:|---:|---|',
    `| cold (first login after server start) | ${fmt(result.cold.interactiveMs)} | ≤ ${TARGET_INTERACTIVE_MS} | ${met(result.cold.interactiveMs <= TARGET_INTERACTIVE_MS)} |`,
    `| warm, median of ${result.warm.length} (${warmRuns}) | ${fmt(result.warmInteractiveMedianMs)} | ≤ ${TARGET_INTERACTIVE_MS} | ${met(result.warmInteractiveMedianMs <= TARGET_INTERACTIVE_MS)} |`,
    '',
  ];
  for (const [label, rows] of [
    ['cold', result.coldRoutes],
    [`warm (${result.warm.length} logins pooled)`, result.warmRoutes],
  ] as const) {
    lines.push(
      `| /api/ requests, ${label} | n | p50 ms | p95 ms | max ms | p95 ≤ ${TARGET_API_P95_MS} ms? |`,
    );
    lines.push('|---|---:|---:|---:|---:|---|');
    for (const r of rows) {
      lines.push(
        `| ${r.route} | ${r.count} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.max)} | ${met(r.p95 <= TARGET_API_P95_MS)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
