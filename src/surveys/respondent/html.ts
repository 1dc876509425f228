// Escaping for the HTML Fidelio writes by hand (respondent pages and e-mails): every text and attribute value
// passes through escapeHtml, so a question, name or answer can never become markup.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** @example escapeHtml('<b>"hi"</b>') // '&lt;b&gt;&quot;hi&quot;&lt;/b&gt;' */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
