import type { AppConfig } from '../../config/app-config';
import type { LlmService } from '../../llm/llm.service';
import type { Lexicon } from '../lexicon/lexicon';
import { RequestClassifierService } from './request-classifier.service';

describe('RequestClassifierService', () => {
  const lexicon = {
    version: 'v1',
    taxonomy: { codes: [{ code: '10', labels: { en: 'Manufacture of food products' } }], has: () => true },
  } as unknown as Lexicon;
  const config = { llm: { classifyRequests: true } } as unknown as AppConfig;
  const modelAnswer = { value: { businesses: [{ code: '1071', confidence: 0.9 }] }, source: 'model' };
  const failedAnswer = { value: { businesses: [] }, source: 'fallback', fallbackReason: 'timeout' };

  function classifierWith(...answers: unknown[]) {
    const extract = jest.fn();
    for (const a of answers) extract.mockResolvedValueOnce(a);
    const llm = { configured: true, extract } as unknown as LlmService;
    return { classifier: new RequestClassifierService(config, llm), extract };
  }

  it('asks the model again after it failed, instead of keeping "none" for that text', async () => {
    const { classifier, extract } = classifierWith(failedAnswer, modelAnswer);
    expect(await classifier.classify('ขนมไทยส่งออก', lexicon)).toEqual([]);
    const second = await classifier.classify('ขนมไทยส่งออก', lexicon);
    expect(second.map((b) => b.code)).toEqual(['1071']);
    expect(extract).toHaveBeenCalledTimes(2);
  });

  it('keeps an answer the model gave', async () => {
    const { classifier, extract } = classifierWith(modelAnswer);
    await classifier.classify('ขนมไทยส่งออก', lexicon);
    expect((await classifier.classify('ขนมไทยส่งออก', lexicon)).map((b) => b.code)).toEqual(['1071']);
    expect(extract).toHaveBeenCalledTimes(1);
  });
});
