import { LocalHashEmbeddings } from './local-hash-embeddings';

describe('LocalHashEmbeddings (offline default)', () => {
  const model = new LocalHashEmbeddings(256);
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

  it('is deterministic, L2-normalised and of the configured dimension', async () => {
    const [a] = await model.embedDocuments(['精密プレス金型メーカー']);
    expect(a).toHaveLength(256);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(await model.embedQuery('精密プレス金型メーカー')).toEqual(a);
    expect(model.modelId).toBe('local-hash-v1-d256');
  });

  it('puts texts that share words closer than unrelated ones, in Thai and Japanese', async () => {
    const [brake, brake2, durian] = await model.embedDocuments([
      'ผู้ผลิตผ้าเบรกรถยนต์',
      'ผ้าเบรกและจานเบรก',
      'ทุเรียนแช่แข็งส่งออก',
    ]);
    expect(cos(brake, brake2)).toBeGreaterThan(cos(brake, durian));
    const [mold, mold2, food] = await model.embedDocuments([
      'プレス金型の設計',
      '金型メーカー',
      '冷凍食品の輸入',
    ]);
    expect(cos(mold, mold2)).toBeGreaterThan(cos(mold, food));
  });

  it('treats full-width and half-width forms alike', async () => {
    expect(await model.embedQuery('ＩＮＰＥＸ')).toEqual(await model.embedQuery('INPEX'));
  });
});
