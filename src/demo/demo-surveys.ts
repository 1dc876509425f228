// The surveys of the server's demo workspace, so the survey pages have something to show and send: a relationship
// NPS on links, the widget and a public link, an FCR survey for the API trigger, and a draft employee eNPS.
// None is scheduled: demo contacts have made-up addresses, and a configured SMTP server would mail them.
import type { Store } from '../store/store.js';
import type { SurveyInput } from '../surveys/survey.js';
import { createSurvey, surveyFromInput } from '../surveys/survey-store.js';

const DEMO_SURVEYS: SurveyInput[] = [
  {
    name: 'Relationship NPS',
    template: 'nps',
    default_locale: 'en',
    channels: ['link', 'widget', 'anonymous_link', 'email'],
    audience_filter: {},
    reminders: { count: 1, after_days: [4] },
    status: 'active',
  },
  {
    name: 'Support: did we resolve it?',
    template: 'fcr',
    default_locale: 'en',
    channels: ['api', 'email'],
    audience_filter: {},
    reminders: { count: 0, after_days: [] },
    status: 'active',
  },
  {
    name: 'Monthly eNPS',
    template: 'enps',
    default_locale: 'en',
    channels: ['email'],
    audience_filter: {},
    reminders: { count: 2, after_days: [3, 7] },
    status: 'draft',
  },
];

export async function createDemoSurveys(store: Store, now: Date): Promise<void> {
  for (const input of DEMO_SURVEYS) await createSurvey(store, surveyFromInput(input, 'demo', now));
}
