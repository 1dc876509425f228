// What the widget remembers in the host page's localStorage, per survey (and per personal token): the answer
// in progress and the question to continue from, or until when it stays hidden. Storage may be unavailable
// (private modes, blocked storage): the widget then simply remembers nothing.

export interface Memory {
  /** The answer in progress (anonymous answers continue it). */
  answer?: string;
  /** The question to continue from after a reload. */
  next?: string;
  /** Epoch milliseconds until which the widget stays hidden (after completion or dismissal). */
  hiddenUntil?: number;
}

const DAY = 86_400_000;
/** After a completed survey, and after the close button or Escape. */
export const HIDE_AFTER_COMPLETION = 90 * DAY;
export const HIDE_AFTER_DISMISSAL = 30 * DAY;

export function recall(key: string): Memory {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '{}') as Memory;
  } catch {
    return {};
  }
}

export function remember(key: string, memory: Memory): void {
  try {
    localStorage.setItem(key, JSON.stringify(memory));
  } catch {
    // Nothing to keep it in.
  }
}
