import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLines } from './record-lines.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fidelio-lines-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function linesOf(text: string, records: number[]) {
  const path = join(dir, 'f.csv');
  await writeFile(path, text);
  return Object.fromEntries(await recordLines(path, records));
}

describe('recordLines', () => {
  it('counts the header as line 1, so record n starts on line n + 1 in a plain file', async () => {
    expect(await linesOf('a,b\n1,2\n3,4\n', [1, 2])).toEqual({ 1: 2, 2: 3 });
  });

  it('follows quoted values across line breaks, with \\r\\n endings too', async () => {
    // Record 1 spans lines 2–4; record 2 starts on line 5.
    expect(await linesOf('id,comment\r\n1,"two\r\nmore\r\nlines"\r\n2,ok\r\n', [1, 2])).toEqual({
      1: 2,
      2: 5,
    });
  });

  it('skips blank lines as the CSV reader does', async () => {
    expect(await linesOf('a,b\n\n1,2\n\n\n3,4\n', [1, 2])).toEqual({ 1: 3, 2: 6 });
  });
});
