import { z } from 'zod';
import { parseStructured, repairJson } from './structured-output';

const schema = z.object({ intent: z.enum(['find_partner', 'other']), products: z.array(z.string()) });

describe('parseStructured', () => {
  it('accepts clean JSON', () => {
    expect(parseStructured('{"intent":"other","products":[]}', schema)).toEqual({
      ok: true,
      value: { intent: 'other', products: [] },
      repaired: false,
    });
  });

  it('repairs a code fence, prose around the object and trailing commas', () => {
    const text =
      'Sure! Here it is:\n```json\n{"intent": "find_partner", "products": ["brakes",],}\n```\nHope this helps.';
    expect(parseStructured(text, schema)).toEqual({
      ok: true,
      value: { intent: 'find_partner', products: ['brakes'] },
      repaired: true,
    });
  });

  it('names what does not match the schema', () => {
    const r = parseStructured('{"intent":"buy","products":"x"}', schema);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join(' ')).toMatch(/intent/);
    expect(parseStructured('no json here', schema)).toEqual({
      ok: false,
      problems: ['the answer is not a JSON object'],
    });
  });

  it('repairJson gives up without braces', () => {
    expect(repairJson('nothing')).toBeUndefined();
  });
});
