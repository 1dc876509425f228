// Settings of the KPI engine, validated once (zod): flags > environment > config file > these defaults.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FidelioError } from '../domain/errors.js';
import { HealthModelSchema } from './health-model.js';

export const KpiConfigSchema = z
  .object({
    /** Fraction of revenue kept after the cost of serving it (clv). */
    gross_margin: z.number().min(0).max(1).default(1),
    /** TTFV: names of the usage events that mean a customer reached value. */
    value_events: z.array(z.string().min(1)).default([]),
    /** TTFV: days after creation within which value counts as reached (ttfv_reached_pct). */
    ttfv_window_days: z.number().int().positive().default(30),
    /** Employee groups with fewer answers than this are suppressed (KPI-SPEC §5). */
    min_employee_group: z.number().int().min(1).default(5),
    /** Reports' `--ci`: an interval resting on fewer answers or accounts is marked not enough data. */
    ci_min_sample: z.number().int().min(1).default(30),
    health: HealthModelSchema.prefault({}),
  })
  .strict();

export type KpiConfig = z.infer<typeof KpiConfigSchema>;

export const DEFAULT_CONFIG: KpiConfig = KpiConfigSchema.parse({});

/** Reads a JSON config file (e.g. `{"gross_margin": 0.8, "health": {"weights": {"satisfaction": 0.4}}}`). */
export async function loadConfigFile(path: string): Promise<KpiConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new FidelioError(
      'usage',
      'config_unreadable',
      `cannot read --config ${path}: ${(error as Error).message}`,
    );
  }
  const parsed = KpiConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new FidelioError('usage', 'config_invalid', `--config ${path} is not valid: ${problems}`);
  }
  return parsed.data;
}
