// A customer's survey answer as the read routes show it (in the answers list and on the account page):
// its schema, its CSV columns, and the mapping from a row.
import { z } from 'zod';
import { METRICS } from '../domain/import-format.js';
import type { Row } from '../store/store.js';
import { isoOrNull, numberOrNull, textOrNull } from './list-paging.js';

export const responseItem = z.object({
  response_id: z.string(),
  submitted_at: z.string(),
  metric: z.enum(METRICS),
  score: z.number().int(),
  scale: z.number().int().nullable(),
  account_id: z.string().nullable(),
  account_name: z.string().nullable(),
  segment: z.string().nullable(),
  respondent_id: z.string().nullable(),
  comment: z.string().nullable(),
  locale: z.string().nullable(),
});
export type ResponseItem = z.infer<typeof responseItem>;

export const RESPONSE_COLUMNS = [
  'response_id',
  'submitted_at',
  'metric',
  'score',
  'scale',
  'account_id',
  'account_name',
  'segment',
  'respondent_id',
  'comment',
  'locale',
] as const;

export function responseOf(r: Row): ResponseItem {
  return {
    response_id: String(r.response_id),
    submitted_at: isoOrNull(r.submitted_at)!,
    metric: r.metric as ResponseItem['metric'],
    score: Number(r.score),
    scale: numberOrNull(r.scale),
    account_id: textOrNull(r.account_id),
    account_name: textOrNull(r.account_name),
    segment: textOrNull(r.segment),
    respondent_id: r.metric === 'enps' ? null : textOrNull(r.respondent_id),
    comment: textOrNull(r.comment),
    locale: textOrNull(r.locale),
  };
}
