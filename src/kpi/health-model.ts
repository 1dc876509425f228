// The default customer health model (KPI-SPEC §4 Health): components, normalisation, weights and bands.
import { z } from 'zod';

/** Component weights; any non-negative numbers (they are normalised by their sum). */
export const HealthModelSchema = z
  .object({
    weights: z
      .object({
        usage_trend: z.number().min(0).default(0.3),
        satisfaction: z.number().min(0).default(0.25),
        support_load: z.number().min(0).default(0.15),
        revenue_trend: z.number().min(0).default(0.1),
        pending_cancellation: z.number().min(0).default(0.2),
      })
      .strict()
      .prefault({}),
    /** Usage of the last `usage_window_days` is compared with the window before it. */
    usage_window_days: z.number().int().positive().default(30),
    /** NPS and CSAT answers of this many days before the snapshot count. */
    satisfaction_window_days: z.number().int().positive().default(180),
    /** Tickets opened in this many days before the snapshot count… */
    support_window_days: z.number().int().positive().default(90),
    /** …and this many of them bring the support component to 0. */
    support_tickets_for_zero: z.number().positive().default(5),
    /** MRR now is compared with MRR this many days before. */
    revenue_window_days: z.number().int().positive().default(90),
    bands: z
      .object({ healthy: z.number().default(70), at_risk_below: z.number().default(40) })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((m) => Object.values(m.weights).some((w) => w > 0), {
    message: 'at least one health weight must be > 0',
  });

export type HealthModel = z.infer<typeof HealthModelSchema>;
export type HealthComponent = keyof HealthModel['weights'];

/** Plain-words definition of each component for a model (docs/metrics.md and the API catalogue render these). */
export function describeComponents(m: HealthModel): Record<HealthComponent, string> {
  return {
    usage_trend: `usage events in the last ${m.usage_window_days} days ÷ events in the ${m.usage_window_days} days before, capped at 1 (1 when only the recent window has usage, 0 with no recent usage)`,
    satisfaction: `mean of the account's NPS (score ÷ 10) and CSAT ((score − 1) ÷ 4) answers of the last ${m.satisfaction_window_days} days; 0.5 when it gave none`,
    support_load: `max(0, 1 − tickets opened in the last ${m.support_window_days} days ÷ ${m.support_tickets_for_zero})`,
    revenue_trend: `MRR now ÷ MRR ${m.revenue_window_days} days before, capped at 1 (1 when it had no MRR then)`,
    pending_cancellation:
      '0 when the account has asked to cancel and the cancellation has not taken effect yet, else 1',
  };
}
