// Drives one server with autocannon for a fixed time and summarises what it saw: answers per second, exact
// latency percentiles of the 2xx answers, status codes, and the CPU both sides used.
import { loadavg } from 'node:os';
import autocannon, { type RequestStep } from 'autocannon';
import { progress } from '../log.js';
import { machineBusySeconds } from './server-process.js';

export interface LoadSpec {
  label: string;
  url: string;
  connections: number;
  seconds: number;
  requests: RequestStep[];
  /** The server's CPU seconds so far (its process), read before and after the load. */
  serverCpu: () => Promise<number | null>;
}

export interface LoadResult {
  label: string;
  connections: number;
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** 2xx answers per second over the whole run. */
  requestsPerSecond: number;
  /** Latency of 2xx answers, ms, from every response (not autocannon's whole-millisecond histogram). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Answers completed in each second of the run (all statuses), to show warm-up or decay. */
  perSecond: number[];
  /** CPU seconds ÷ wall seconds: 1.0 is one core busy. */
  serverCores: number | null;
  loadGeneratorCores: number;
  /** Busy cores of the whole machine minus the server's and the load generator's: other work competing. */
  otherCores: number | null;
  /** Highest 1-minute load average seen during the run: above the core count, other work competed for CPU. */
  maxLoad: number;
}

const cores = (n: number | null) => (n === null ? '—' : n.toFixed(2));

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  progress(`${spec.label}: ${spec.connections} connections for ${spec.seconds} s`);
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const perSecond: number[] = [];
  let maxLoad = loadavg()[0]!;
  const cpuBefore = process.cpuUsage();
  const serverBefore = await spec.serverCpu();
  const machineBefore = await machineBusySeconds();
  const began = performance.now();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: spec.requests,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status < 200 || status >= 300) return;
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = ms;
  });
  instance.on('tick', ({ counter }) => {
    maxLoad = Math.max(maxLoad, loadavg()[0]!);
    // autocannon ticks once more, with nothing, after the run ends.
    if (perSecond.length >= spec.seconds) return;
    perSecond.push(counter);
    if (perSecond.length % 5 === 0) {
      const done = perSecond.reduce((a, b) => a + b, 0);
      progress(`  ${perSecond.length} s: ${done.toLocaleString('en-US')} answers, last second ${counter}`);
    }
  });
  const result = await instance;
  const wall = (performance.now() - began) / 1000;
  const serverAfter = await spec.serverCpu();
  const machineAfter = await machineBusySeconds();
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = latencies.subarray(0, count).sort();
  const at = (q: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))] ?? 0;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  const serverCores =
    serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / wall;
  const loadGeneratorCores = (cpu.user + cpu.system) / 1e6 / wall;
  const load: LoadResult = {
    label: spec.label,
    connections: spec.connections,
    seconds: result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    requestsPerSecond: result['2xx'] / result.duration,
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: count > 0 ? sorted[count - 1]! : 0,
      mean: count > 0 ? sorted.reduce((a, b) => a + b, 0) / count : 0,
    },
    perSecond,
    serverCores,
    loadGeneratorCores,
    otherCores:
      machineBefore === null || machineAfter === null || serverCores === null
        ? null
        : Math.max(0, (machineAfter - machineBefore) / wall - serverCores - loadGeneratorCores),
    maxLoad: Math.max(maxLoad, loadavg()[0]!),
  };
  progress(
    `  ${Math.round(load.requestsPerSecond).toLocaleString('en-US')} answers/s, p50 ${load.latencyMs.p50.toFixed(2)} ms, ` +
      `p99 ${load.latencyMs.p99.toFixed(2)} ms, non-2xx ${load.non2xx}, errors ${load.errors}; cores: server ${cores(load.serverCores)}, load generator ${cores(load.loadGeneratorCores)}, other work ${cores(load.otherCores)}`,
  );
  return load;
}
