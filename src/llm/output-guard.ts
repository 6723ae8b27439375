/**
 * A last line of defence for generated text about companies (summaries, match explanations): contact details
 * are never in a prompt, so an e-mail address or phone number in the output that none of the inputs contained
 * was invented or injected, and is removed. Translation does not use it (its input is the text itself).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International or trunk-prefixed numbers with at least 9 digits, separated by spaces, dots, dashes or brackets.
const PHONE = /(?:\+\d{1,3}[\s.-]?|\b0)(?:\(?\d{1,4}\)?[\s.-]?){2,5}\d{2,4}\b/g;
const LINE_ID = /\b(?:LINE\s*(?:ID)?|ไลน์|ライン)\s*[:：]\s*@?[A-Za-z0-9._-]{2,}[A-Za-z0-9_-]/gi;

export const REDACTED = '[removed]';

export function redactUnseenContacts(output: string, inputs: string[]): { text: string; removed: number } {
  const haystack = inputs.join('\n').toLowerCase();
  const inputPhones = new Set((inputs.join('\n').match(PHONE) ?? []).map((p) => p.replace(/\D/g, '')));
  let removed = 0;
  let text = output.replace(EMAIL, (m) => {
    if (haystack.includes(m.toLowerCase())) return m;
    removed++;
    return REDACTED;
  });
  text = text.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '');
    if (digits.length < 9 || inputPhones.has(digits) || haystack.includes(m.toLowerCase())) return m;
    removed++;
    return REDACTED;
  });
  text = text.replace(LINE_ID, (m) => {
    if (haystack.includes(m.toLowerCase())) return m;
    removed++;
    return REDACTED;
  });
  return { text, removed };
}
