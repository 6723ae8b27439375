import { REDACTED, redactUnseenContacts } from './output-guard';

describe('redactUnseenContacts', () => {
  it('removes e-mails, phone numbers and LINE ids that no input contained', () => {
    const out = redactUnseenContacts(
      'Contact sales@leak.example or +66 2 123 4567, LINE ID: leaked_id. See info@public.example.',
      ['Profile mentions info@public.example'],
    );
    expect(out.text).toBe(`Contact ${REDACTED} or ${REDACTED}, ${REDACTED}. See info@public.example.`);
    expect(out.removed).toBe(3);
  });

  it('keeps numbers that are not phone numbers, and phones present in the input', () => {
    const out = redactUnseenContacts('Founded 2024-04-01, revenue 1,000,000,000 yen, call 02-123-4567', [
      'tel 02 123 4567',
    ]);
    expect(out.removed).toBe(0);
  });
});
