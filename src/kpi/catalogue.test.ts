import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KPIS } from './catalogue.js';
import { DEFAULT_CONFIG } from './config.js';
import { describeComponents } from './health-model.js';
import { median, pct, ratio } from './kpi.js';

// The ids of KPI-SPEC §4, copied by hand from the spec (the spec itself is not shipped with the project).
const SPEC_IDS = [
  'mrr',
  'active_customers',
  'arpa',
  'new_mrr',
  'reactivation_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'net_new_mrr',
  'nrr',
  'grr',
  'expansion_revenue',
  'crr',
  'new_customers',
  'reactivated_customers',
  'churned_customers',
  'churn_rate',
  'pending_churn_customers',
  'renewal_rate',
  'clv',
  'clv_historical',
  'cac',
  'ltv_cac_ratio',
  'ttfv_median_days',
  'ttfv_reached_pct',
  'nps',
  'nps_responses',
  'enps',
  'csat',
  'csat_mean',
  'ces',
  'ces_high_effort_pct',
  'fcr',
  'fcr_perceived',
  'health_mean',
  'at_risk_customers',
];

describe('the KPI catalogue', () => {
  it('holds exactly the ids of KPI-SPEC §4, once each', () => {
    expect(KPIS.map((k) => k.id).sort()).toEqual([...SPEC_IDS].sort());
  });

  it('gives every KPI a label and a one-line formula', () => {
    for (const kpi of KPIS) {
      expect(kpi.label.length, kpi.id).toBeGreaterThan(1);
      expect(kpi.formula, kpi.id).not.toMatch(/\n/);
    }
  });
});

describe('docs/metrics.md', () => {
  const docs = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');

  it('carries every KPI formula exactly as the code declares it', () => {
    for (const kpi of KPIS) expect(docs, kpi.id).toContain(`**Formula:** ${kpi.formula}`);
  });

  it('describes the default health components exactly as the model computes them', () => {
    for (const text of Object.values(describeComponents(DEFAULT_CONFIG.health))) expect(docs).toContain(text);
  });
});

describe('the null rule', () => {
  it('a share of nothing is null, not 0 or NaN', () => {
    expect(pct(0, 0)).toBeNull();
    expect(pct(0, 4)).toBe(0);
    expect(pct(1, 4)).toBe(25);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
  });

  it('the median of an even count is the mean of the two middle values', () => {
    expect(median([])).toBeNull();
    expect(median([1, 3, 10])).toBe(3);
    expect(median([1, 3, 10, 20])).toBe(6.5);
  });
});
