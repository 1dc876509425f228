// Summarises a V8 .cpuprofile (node --cpu-prof) of a server process: main-thread time by package or Fidelio
// folder, and the functions with the most self time. DuckDB's own work runs on other threads and shows as idle.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface CpuSummary {
  file: string;
  seconds: number;
  /** Share of the main thread's time, by where the code lives. */
  byPlace: { place: string; share: number }[];
  topFunctions: { name: string; share: number }[];
}

function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/dist\/(src|bench)\/([^/]+)/.exec(url);
  if (own) return `fidelio ${own[1]}/${own[2]!.replace(/\.js$/, '')}`;
  return 'other';
}

/** The profiles written into `dir`, each summarised. */
export async function summariseCpuProfiles(dir: string): Promise<CpuSummary[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const summaries: CpuSummary[] = [];
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    summaries.push(summarise(join(dir, file), profile));
  }
  return summaries;
}

function summarise(file: string, profile: CpuProfile): CpuSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Sample i lasts until the next sample.
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i + 1] ?? 0;
    self.set(id, (self.get(id) ?? 0) + micros);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const place = placeOf(url, functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
    const where = url === '' ? '' : ` ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const ranked = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    file,
    seconds: (profile.endTime - profile.startTime) / 1e6,
    byPlace: ranked(byPlace, 20).map(([place, micros]) => ({ place, share: micros / total })),
    topFunctions: ranked(byFunction, 25).map(([name, micros]) => ({ name, share: micros / total })),
  };
}
