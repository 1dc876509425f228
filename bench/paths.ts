// Where the benchmark finds the CLI, the peers, its data cache and its results (relative to the repository).
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs as dist/bench/paths.js. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const CLI = `${ROOT}dist/src/cli/main.js`;
export const PLAIN_SQL = `${ROOT}bench/peers/report-plain.sql`;
export const PANDAS_SCRIPT = `${ROOT}bench/peers/report_pandas.py`;
export const PYTHON = '/usr/bin/python3';
export const DATA_DIR = `${ROOT}bench/data`;
export const RESULTS_DIR = `${ROOT}bench/results`;

/** A compiled child script of the harness, e.g. peer-sql.js. */
export const benchScript = (name: string) => fileURLToPath(new URL(name, import.meta.url));
