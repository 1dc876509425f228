// The parts of Stripe's event, customer, subscription and invoice objects Fidelio reads, as zod schemas.
// Both the older shapes (plan, subscription-level periods) and API 2025-03-31.basil and later parse.
import { z } from 'zod';
import { FidelioError, type InputIssue } from '../../domain/errors.js';

const unix = z.number().int().nonnegative();
const id = z.string().min(1);
/** An expandable reference: an id, or the object it names. */
const ref = z.union([id, z.object({ id })]);
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal string');
const interval = z.enum(['day', 'week', 'month', 'year']);
const transform = z.object({ divide_by: z.number().positive(), round: z.enum(['up', 'down']) });

export const EnvelopeSchema = z.object({
  id,
  type: z.string().min(1),
  created: unix,
  data: z.object({
    object: z.looseObject({}),
    previous_attributes: z.looseObject({}).nullish(),
  }),
});

export const CustomerSchema = z.object({
  id,
  created: unix,
  name: z.string().nullish(),
  email: z.string().nullish(),
  address: z.object({ country: z.string().nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export const CouponSchema = z.object({
  id: z.string().nullish(),
  percent_off: z.number().min(0).max(100).nullish(),
  amount_off: z.number().nonnegative().nullish(),
  currency: z.string().nullish(),
  currency_options: z
    .record(z.string(), z.object({ amount_off: z.number().nonnegative().nullish() }))
    .nullish(),
  duration: z.string().nullish(),
});

/** Older APIs put the coupon on `discount.coupon`; newer ones on `discount.source.coupon`. */
export const DiscountSchema = z.object({
  id: z.string().nullish(),
  coupon: z.union([id, CouponSchema]).nullish(),
  source: z.object({ coupon: z.union([id, CouponSchema]).nullish() }).nullish(),
  end: unix.nullish(),
});

/** A subscription lists its discounts as ids unless they were expanded. */
const discountRef = z.union([id, DiscountSchema]);

/** A Price (`recurring.interval`) or a legacy Plan (`interval` at the top). */
export const PricingSchema = z.object({
  id: z.string().nullish(),
  currency: z.string().nullish(),
  billing_scheme: z.string().nullish(),
  unit_amount: z.number().nonnegative().nullish(),
  unit_amount_decimal: decimal.nullish(),
  amount: z.number().nonnegative().nullish(),
  amount_decimal: decimal.nullish(),
  recurring: z
    .object({
      interval,
      interval_count: z.number().int().positive().nullish(),
      usage_type: z.string().nullish(),
    })
    .nullish(),
  interval: interval.nullish(),
  interval_count: z.number().int().positive().nullish(),
  usage_type: z.string().nullish(),
  transform_quantity: transform.nullish(),
  transform_usage: transform.nullish(),
});

export const SubscriptionItemSchema = z.object({
  id: z.string().nullish(),
  price: PricingSchema.nullish(),
  plan: PricingSchema.nullish(),
  quantity: z.number().int().nonnegative().nullish(),
  current_period_end: unix.nullish(),
  discounts: z.array(discountRef).nullish(),
});

export const SubscriptionSchema = z.object({
  id,
  customer: ref,
  status: z.string().min(1),
  currency: z.string().nullish(),
  created: unix,
  start_date: unix.nullish(),
  ended_at: unix.nullish(),
  canceled_at: unix.nullish(),
  cancel_at: unix.nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  current_period_end: unix.nullish(),
  quantity: z.number().int().nonnegative().nullish(),
  items: z.object({ data: z.array(SubscriptionItemSchema) }).nullish(),
  plan: PricingSchema.nullish(),
  discount: DiscountSchema.nullish(),
  discounts: z.array(discountRef).nullish(),
  pause_collection: z.looseObject({}).nullish(),
});

export const InvoiceSchema = z.object({
  id,
  customer: ref,
  currency: z.string().min(1),
  amount_paid: z.number().int().nonnegative(),
  created: unix,
  billing_reason: z.string().nullish(),
  status_transitions: z.object({ paid_at: unix.nullish() }).nullish(),
  subscription: ref.nullish(),
  parent: z.object({ subscription_details: z.object({ subscription: ref.nullish() }).nullish() }).nullish(),
});

export type Envelope = z.infer<typeof EnvelopeSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
export type Coupon = z.infer<typeof CouponSchema>;
export type Discount = z.infer<typeof DiscountSchema>;
export type Pricing = z.infer<typeof PricingSchema>;
export type SubscriptionItem = z.infer<typeof SubscriptionItemSchema>;
export type Subscription = z.infer<typeof SubscriptionSchema>;
export type Invoice = z.infer<typeof InvoiceSchema>;

/** The id of an expandable reference. */
export const refId = (value: string | { id: string }): string =>
  typeof value === 'string' ? value : value.id;

function valueAt(root: unknown, path: readonly PropertyKey[]): string | null {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined || value === null ? null : JSON.stringify(value).slice(0, 200);
}

/**
 * Parses `value` with `schema`, or throws FidelioError('invalid_input') naming every bad field by its path
 * from the event root (`prefix` is where `value` sits, e.g. `data.object`).
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, source: string, prefix: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: InputIssue[] = parsed.error.issues.map((issue) => {
    const column = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(root)';
    return {
      file: source,
      line: 1,
      column,
      value: valueAt(value, issue.path),
      rule: issue.code,
      message: `${column}: ${issue.message}`,
    };
  });
  throw new FidelioError(
    'invalid_input',
    'stripe_event_malformed',
    `${source} is malformed: ${issues.map((i) => i.message).join('; ')}`,
    issues,
  );
}
