// The report every benchmark measures: months of the window, by segment, with the demo's value event.
import { DEFAULT_CONFIG } from '../src/kpi/config.js';
import type { ReportRequest } from '../src/kpi/engine.js';

export function benchRequest(from: string, to: string): ReportRequest {
  return {
    from: new Date(`${from}T00:00:00Z`),
    to: new Date(`${to}T00:00:00Z`),
    period: 'month',
    segmentBy: 'segment',
    config: { ...DEFAULT_CONFIG, value_events: ['report_created'] },
  };
}
