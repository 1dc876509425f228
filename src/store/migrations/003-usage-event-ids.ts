// Migration 3: usage events may carry their sender's id (Segment's messageId), so redeliveries are recognised.

export const sql = `
ALTER TABLE usage_events ADD COLUMN event_id VARCHAR;
`;
