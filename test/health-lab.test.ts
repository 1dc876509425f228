// The health model lab's arithmetic: logistic regression recovers known coefficients, AUC by hand, the
// metrics per band, and an explanation that adds up to the model's logit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../src/insight/health/features.js';
import { FEATURES, monthlySnapshots } from '../src/insight/health/features.js';
import { defaultScore, explainDefault, explainLearned, splitByTime } from '../src/insight/health/lab.js';
import {
  contributions,
  fitLogistic,
  logitOf,
  matrixOf,
  seededRandom,
  sigmoid,
} from '../src/insight/health/logistic.js';
import { auc, evaluate } from '../src/insight/health/metrics.js';
import type { StoredModel } from '../src/insight/health/registry.js';

function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n rows of three features (one skewed and shifted) with labels drawn from known coefficients. */
function simulate(n: number, seed: number, beta: number[], intercept: number) {
  const random = seededRandom(seed);
  const gauss = normal(random);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [gauss(), 5 + 2 * gauss(), random() < 0.3 ? 1 : 0];
    const eta = intercept + x.reduce((s, v, j) => s + v * beta[j]!, 0);
    rows.push(x);
    labels.push(random() < sigmoid(eta) ? 1 : 0);
  }
  return { x: matrixOf(rows, 3), rows, labels };
}

describe('logistic regression', () => {
  const beta = [1.2, -0.6, 0.9];
  const intercept = 0.5;
  const data = simulate(20_000, 42, beta, intercept);

  it('recovers the coefficients of simulated data (seeded), on the raw scale', () => {
    const fit = fitLogistic(data.x, data.labels, { l2: 0 });
    expect(fit.converged).toBe(true);
    const raw = fit.coefficients.map((c, j) => c / fit.scales[j]!);
    for (const [j, b] of raw.entries()) expect(Math.abs(b - beta[j]!)).toBeLessThan(0.08);
    const rawIntercept = fit.intercept - raw.reduce((s, b, j) => s + b * fit.means[j]!, 0);
    expect(Math.abs(rawIntercept - intercept)).toBeLessThan(0.25);
  });

  it('is deterministic, and the L2 penalty shrinks the coefficients', () => {
    const a = fitLogistic(data.x, data.labels, { l2: 1 });
    const b = fitLogistic(data.x, data.labels, { l2: 1 });
    expect(b).toEqual(a);
    const heavy = fitLogistic(data.x, data.labels, { l2: 50_000 });
    for (const [j, c] of heavy.coefficients.entries())
      expect(Math.abs(c)).toBeLessThan(Math.abs(a.coefficients[j]!));
  });

  it('survives a constant feature and perfectly separated labels', () => {
    const x = matrixOf(
      [
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 1],
      ],
      2,
    );
    const fit = fitLogistic(x, [0, 0, 1, 1], { l2: 0.1 });
    expect(fit.coefficients.every(Number.isFinite)).toBe(true);
    expect(fit.coefficients[1]).toBe(0);
    expect(fit.coefficients[0]).toBeGreaterThan(1);
  });

  it('explains a prediction: intercept + Σ coefficient × standardised value = the logit', () => {
    const fit = fitLogistic(data.x, data.labels, { l2: 1 });
    const row = data.rows[7]!;
    const parts = contributions(fit, row);
    expect(parts.reduce((s, c) => s + c, fit.intercept)).toBeCloseTo(logitOf(fit, row), 12);
    for (const [j, c] of parts.entries())
      expect(c).toBeCloseTo((fit.coefficients[j]! * (row[j]! - fit.means[j]!)) / fit.scales[j]!, 12);
  });
});

describe('AUC', () => {
  it('is computed by hand on a tiny example', () => {
    // Churners at risk 0.35 and 0.8; stayers at 0.1 and 0.4. Pairs ranked right: (0.35>0.1), (0.8>0.1),
    // (0.8>0.4); wrong: (0.35<0.4). AUC = 3/4.
    const items = [
      { risk: 0.1, label: 0 },
      { risk: 0.4, label: 0 },
      { risk: 0.35, label: 1 },
      { risk: 0.8, label: 1 },
    ];
    expect(auc(items)).toBe(0.75);
  });

  it('counts ties one half, and is null with a single class', () => {
    expect(
      auc([
        { risk: 0.5, label: 0 },
        { risk: 0.5, label: 1 },
        { risk: 0.9, label: 1 },
      ]),
    ).toBe(0.75);
    expect(auc([{ risk: 0.2, label: 0 }])).toBeNull();
  });

  it('equals the pair-counting definition on random scores with many ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ risk: fc.integer({ min: 0, max: 8 }), label: fc.integer({ min: 0, max: 1 }) }), {
          minLength: 2,
          maxLength: 60,
        }),
        (draws) => {
          const items = draws.map((d) => ({ risk: d.risk / 8, label: d.label }));
          const churners = items.filter((s) => s.label === 1);
          const stayers = items.filter((s) => s.label === 0);
          if (churners.length === 0 || stayers.length === 0) {
            expect(auc(items)).toBeNull();
            return;
          }
          // Every (churner, stayer) pair: 1 ranked right, 1/2 tied.
          let pairs = 0;
          for (const c of churners)
            for (const n of stayers) pairs += c.risk > n.risk ? 1 : c.risk === n.risk ? 0.5 : 0;
          expect(auc(items)).toBeCloseTo(pairs / (churners.length * stayers.length), 12);
        },
      ),
    );
  });
});

describe('evaluation', () => {
  it('gives precision and recall at the band thresholds, lift per band and reliability bins', () => {
    // Scores 100(1 − risk): 95, 85 (healthy), 50 (neutral), 20, 10 (at risk).
    const items = [
      { risk: 0.05, label: 0 },
      { risk: 0.15, label: 1 },
      { risk: 0.5, label: 0 },
      { risk: 0.8, label: 1 },
      { risk: 0.9, label: 0 },
    ];
    const e = evaluate(items);
    expect(e.churn_rate).toBe(0.4);
    expect(e.at_risk).toEqual({ flagged: 2, precision: 0.5, recall: 0.5 });
    expect(e.below_healthy).toEqual({ flagged: 3, precision: 1 / 3, recall: 0.5 });
    expect(e.bands.find((b) => b.band === 'at_risk')).toMatchObject({ accounts: 2, churned: 1, lift: 1.25 });
    expect(e.bands.find((b) => b.band === 'healthy')).toMatchObject({ accounts: 2, churned: 1, lift: 1.25 });
    expect(e.bands.find((b) => b.band === 'neutral')).toMatchObject({ accounts: 1, churned: 0, lift: 0 });
    expect(e.calibration).toHaveLength(10);
    expect(e.calibration.reduce((s, b) => s + b.accounts, 0)).toBe(5);
    expect(e.calibration[9]).toMatchObject({ accounts: 1, observed_rate: 0 });
    expect(e.calibration[8]).toMatchObject({ accounts: 1, observed_rate: 1 });
  });

  it('puts a risk on a bin edge in the bin that starts there, 1 in the last, and leaves out risks outside [0, 1]', () => {
    // 0.3 and 0.7 are bin starts of 10 bins (0.7 × 10 = 7.000000000000001 in floating point); 0.1 × 3 rounds to
    // 0.30000000000000004, which is still in bin 3; 1 is in bin 9; −0.1 and 1.5 in none.
    const risks = [0.3, 0.7, 0.1 * 3, 1, 0, -0.1, 1.5];
    const e = evaluate(risks.map((risk) => ({ risk, label: 0 })));
    expect(e.calibration.map((b) => b.accounts)).toEqual([1, 0, 0, 2, 0, 0, 0, 1, 0, 1]);
    expect(e.accounts).toBe(7);
  });
});

const observation = (at: string, features: number[], label: 0 | 1 | null): Observation => ({
  account_id: `A-${at}`,
  snapshot_at: new Date(at),
  features,
  components: {
    usage_trend: 1,
    satisfaction: 0.5,
    support_load: 0.2,
    revenue_trend: 1,
    pending_cancellation: 0,
  },
  label,
});

describe('splitting by time', () => {
  it('tests only on snapshots at or after T and trains only on label windows that end by T', () => {
    const snapshots = monthlySnapshots(new Date('2024-01-01'), new Date('2024-12-01'));
    expect(snapshots).toHaveLength(12);
    const all = snapshots.map((s) => observation(s.toISOString(), [0], 0));
    const split = new Date('2024-07-01');
    const { train, test } = splitByTime(all, split);
    expect(test.length).toBeGreaterThan(0);
    expect(train.length).toBeGreaterThan(0);
    for (const o of test) expect(o.snapshot_at.getTime()).toBeGreaterThanOrEqual(split.getTime());
    for (const o of train)
      expect(o.snapshot_at.getTime() + 90 * 86_400_000).toBeLessThanOrEqual(split.getTime());
    // 2024-04-01 + 90 days = 2024-06-30 ≤ T; 2024-05-01 would see labels after T.
    expect(train.map((o) => o.snapshot_at.toISOString().slice(0, 10)).at(-1)).toBe('2024-04-01');
  });
});

describe('explanations', () => {
  const o = observation(
    '2025-01-01',
    FEATURES.map((_, j) => j / 10),
    null,
  );

  it('of the default model: weighted components whose points add up to the score, largest loss first', () => {
    const e = explainDefault(o);
    expect(e.score).toBeCloseTo(defaultScore(o.components), 10);
    expect(e.contributions.reduce((s, c) => s + c.points!, 0)).toBeCloseTo(e.score, 10);
    expect(e.contributions[0]!.feature).toBe('pending_cancellation');
    expect(e.band).toBe('neutral');
  });

  it('of a learned model: contributions sorted by risk that add up, with the intercept, to the logit', () => {
    const stored = {
      model_id: 'hm-1',
      coefficients: {
        intercept: -2,
        features: FEATURES.map((feature, j) => ({
          feature,
          coefficient: (j % 3) - 1,
          mean: 0.5,
          scale: 0.25,
        })),
      },
    } as unknown as StoredModel;
    const e = explainLearned(o, stored);
    const sum = e.contributions.reduce((s, c) => s + c.contribution, e.intercept!);
    expect(sum).toBeCloseTo(e.logit!, 12);
    expect(e.probability).toBeCloseTo(sigmoid(e.logit!), 12);
    expect(e.score).toBeCloseTo(100 * (1 - e.probability!), 10);
    const values = e.contributions.map((c) => c.contribution);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });
});
