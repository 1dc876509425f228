// Describes the machine and software a benchmark ran on, saved beside every result.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { MEMORY_METHOD } from './child.js';
import { PYTHON, ROOT } from './paths.js';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  duckdbNodeApi: string;
  pandas: string | null;
  memoryMethod: string;
}

export function describeMachine(): Machine {
  const duckdb = JSON.parse(readFileSync(`${ROOT}node_modules/@duckdb/node-api/package.json`, 'utf8')) as {
    version: string;
  };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    duckdbNodeApi: duckdb.version,
    pandas: pandasVersion(),
    memoryMethod: MEMORY_METHOD,
  };
}

/** The version of Debian's python3-pandas, or null when /usr/bin/python3 cannot import it. */
export function pandasVersion(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}
