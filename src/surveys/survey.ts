// A survey's settings as the API takes them and the store keeps them: audience, channels, schedule, reminders.
import { z } from 'zod';
import { question, SURVEY_LOCALES } from './questions.js';

export const TEMPLATES = ['nps', 'csat', 'ces', 'fcr', 'enps', 'pulse', 'custom'] as const;
export type Template = (typeof TEMPLATES)[number];

export const AUDIENCES = ['customers', 'employees'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** How people reach a survey. `link` = personal links, `anonymous_link` = one public link for anyone. */
export const CHANNELS = ['email', 'link', 'anonymous_link', 'widget', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SURVEY_STATUSES = ['draft', 'active', 'paused', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export const FREQUENCIES = ['once', 'weekly', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const dateTime = z.iso.datetime({ offset: true });

export const schedule = z
  .object({
    frequency: z.enum(FREQUENCIES),
    /** IANA time zone the times below are read in (e.g. Europe/Rome). */
    time_zone: z.string().min(1).default('UTC'),
    /** Local time of day the wave is sent, HH:MM. */
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM')
      .default('09:00'),
    /** weekly: 1 = Monday … 7 = Sunday. */
    weekday: z.number().int().min(1).max(7).optional(),
    /** monthly and quarterly: day of the month, 1–31; a month without that day uses its last day. */
    day_of_month: z.number().int().min(1).max(31).optional(),
    starts_at: dateTime,
    ends_at: dateTime.optional(),
  })
  .strict();
export type Schedule = z.infer<typeof schedule>;

export const reminders = z
  .object({
    /** 0, 1 or 2 reminders to people who have not answered. */
    count: z.number().int().min(0).max(2).default(0),
    /** Days after the wave each reminder goes out, ascending. */
    after_days: z.array(z.number().int().min(1).max(60)).max(2).default([]),
  })
  .strict()
  .refine((r) => r.after_days.length === r.count, 'after_days lists one day count per reminder')
  .refine((r) => r.after_days.every((d, i) => i === 0 || d > r.after_days[i - 1]!), 'after_days ascend');
export type Reminders = z.infer<typeof reminders>;

/** Who a scheduled or e-mailed survey goes to. Empty filters mean everyone of the audience. */
export const audienceFilter = z
  .object({
    /** customers: only contacts of accounts in these segments. */
    segments: z.array(z.string().min(1)).max(100).optional(),
    /** customers: only contacts of these accounts. */
    account_ids: z.array(z.string().min(1)).max(10_000).optional(),
    /** employees: only these teams. */
    teams: z.array(z.string().min(1)).max(100).optional(),
  })
  .strict();
export type AudienceFilter = z.infer<typeof audienceFilter>;

export const surveyInput = z
  .object({
    name: z.string().min(1).max(200),
    template: z.enum(TEMPLATES),
    audience: z.enum(AUDIENCES).optional(),
    default_locale: z.enum(SURVEY_LOCALES).default('en'),
    /** Required for custom and pulse; otherwise the template's questions are used unless given. */
    questions: z.array(question).optional(),
    /** 1–5 or 1–7 for the CES template (default 7). */
    ces_scale: z.union([z.literal(5), z.literal(7)]).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).default(['link']),
    audience_filter: audienceFilter.default({}),
    schedule: schedule.optional(),
    reminders: reminders.default({ count: 0, after_days: [] }),
    status: z.enum(['draft', 'active']).default('draft'),
  })
  .strict();
export type SurveyInput = z.infer<typeof surveyInput>;

/** A survey as stored and served. */
export interface Survey {
  survey_id: string;
  /** The id in anonymous links and the widget; it reveals nothing else. */
  public_id: string;
  name: string;
  template: Template;
  audience: Audience;
  /** Employee surveys are anonymous: answers keep no person, account or invitation. */
  anonymous: boolean;
  default_locale: (typeof SURVEY_LOCALES)[number];
  questions: z.infer<typeof question>[];
  channels: Channel[];
  audience_filter: AudienceFilter;
  schedule: Schedule | null;
  reminders: Reminders;
  status: SurveyStatus;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}
