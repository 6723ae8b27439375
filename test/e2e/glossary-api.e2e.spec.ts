import { ApiTokenRepository } from '../../src/auth/api-token.repository';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { startTestApp } from '../support/test-app';

/** The staff glossary over HTTP: CRUD, roles, conflicts, audit, JSON import/export, version bumps. */
describe('glossary API', () => {
  let running: RunningApp;
  let curator: Record<string, string>;
  let viewer: Record<string, string>;
  let partner: Record<string, string>;

  const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(running.url + path, {
      ...init,
      headers: { 'content-type': 'application/json', ...curator, ...init.headers },
    });
  const json = async (res: Response) => (await res.json()) as Record<string, any>;
  const version = async () =>
    (await json(await api('/api/glossary', { headers: viewer }))).glossaryVersion as number;

  beforeAll(async () => {
    running = await startTestApp();
    const tokens = new ApiTokenRepository(running.database.pool);
    curator = { Authorization: `Bearer ${(await tokens.create('cura', 'curator')).token}` };
    viewer = { Authorization: `Bearer ${(await tokens.create('vi', 'viewer')).token}` };
    partner = { Authorization: `Bearer ${(await tokens.create('pa', 'partner')).token}` };
  });
  afterAll(() => running.close());

  it('creates, reads, replaces with If-Match and deletes a term, bumping the glossary version each time', async () => {
    const v0 = await version();
    const created = await api('/api/glossary', {
      method: 'POST',
      body: JSON.stringify({ ja: '金型', th: 'แม่พิมพ์', en: 'mold', note: 'tooling' }),
    });
    expect(created.status).toBe(201);
    const term = await json(created);
    expect(term).toMatchObject({ ja: '金型', th: 'แม่พิมพ์', en: 'mold', doNotTranslate: false, version: 1 });
    expect(created.headers.get('location')).toBe(`/api/glossary/${term.id}`);
    expect(await version()).toBe(v0 + 1);

    const read = await api(`/api/glossary/${term.id}`, { headers: viewer });
    expect(read.headers.get('etag')).toBe('"1"');

    const replaced = await api(`/api/glossary/${term.id}`, {
      method: 'PUT',
      headers: { 'If-Match': '"1"' },
      body: JSON.stringify({ ja: '金型', th: 'แม่พิมพ์', en: 'die' }),
    });
    expect(replaced.status).toBe(200);
    expect(await json(replaced)).toMatchObject({ en: 'die', version: 2 });
    const stale = await api(`/api/glossary/${term.id}`, {
      method: 'PUT',
      headers: { 'If-Match': '"1"' },
      body: JSON.stringify({ en: 'mould' }),
    });
    expect(stale.status).toBe(412);

    expect((await api(`/api/glossary/${term.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/glossary/${term.id}`)).status).toBe(404);
    expect((await api('/api/glossary/not-a-uuid')).status).toBe(404);
    expect(await version()).toBe(v0 + 3);

    const { rows } = await running.database.pool.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE entity_type = 'glossary' AND entity_id = $1 ORDER BY id`,
      [term.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
    expect(rows.every((r) => r.actor === 'token:cura')).toBe(true);
  });

  it('viewers read, curators write, partners neither', async () => {
    expect((await api('/api/glossary', { headers: viewer })).status).toBe(200);
    expect((await api('/api/glossary', { method: 'POST', headers: viewer, body: '{"en":"x"}' })).status).toBe(
      403,
    );
    expect((await api('/api/glossary', { headers: partner })).status).toBe(403);
    expect((await fetch(`${running.url}/api/glossary`)).status).toBe(401);
  });

  it('rejects invalid terms and a form another term already uses', async () => {
    const invalid = await api('/api/glossary', {
      method: 'POST',
      body: JSON.stringify({ note: 'no forms' }),
    });
    expect(invalid.status).toBe(400);
    expect((await json(invalid)).errors[0].message).toMatch(/at least one of ja, th, en/);
    expect(
      (await api('/api/glossary', { method: 'POST', body: JSON.stringify({ en: 'x', zh: 'y' }) })).status,
    ).toBe(400);
    await api('/api/glossary', {
      method: 'POST',
      body: JSON.stringify({ ja: '販売代理店', en: 'distributor' }),
    });
    const dup = await api('/api/glossary', {
      method: 'POST',
      body: JSON.stringify({ en: 'Distributor', th: 'ผู้จัด' }),
    });
    expect(dup.status).toBe(409);
  });

  it('lists with a filter over every form', async () => {
    await api('/api/glossary', {
      method: 'POST',
      body: JSON.stringify({ en: 'INPEX', doNotTranslate: true }),
    });
    const list = await json(await api('/api/glossary?q=inpex', { headers: viewer }));
    expect(list.items).toEqual([expect.objectContaining({ en: 'INPEX', doNotTranslate: true })]);
    expect(list.total).toBe(1);
  });

  it('exports JSON that imports back; merges by id or shared form; dry runs and replaces', async () => {
    const exported = (await json(await api('/api/glossary/export', { headers: viewer }))) as unknown as Array<
      Record<string, unknown>
    >;
    expect(exported.length).toBeGreaterThanOrEqual(2);
    const same = await json(
      await api('/api/glossary/import', { method: 'POST', body: JSON.stringify(exported) }),
    );
    expect(same).toMatchObject({
      total: exported.length,
      created: 0,
      updated: 0,
      unchanged: exported.length,
    });

    const entries = [
      { ja: '販売代理店', th: 'ตัวแทนจำหน่าย', en: 'distributor' }, // matches by form: update
      { ja: 'ブレーキ部品', th: 'ชิ้นส่วนเบรก', en: 'brake components' }, // new
    ];
    const dry = await json(
      await api('/api/glossary/import?dryRun=true', { method: 'POST', body: JSON.stringify(entries) }),
    );
    expect(dry).toMatchObject({ created: 1, updated: 1 });
    expect((await json(await api('/api/glossary?q=brake', { headers: viewer }))).total).toBe(0);

    const merged = await json(
      await api('/api/glossary/import', { method: 'POST', body: JSON.stringify(entries) }),
    );
    expect(merged).toMatchObject({ created: 1, updated: 1 });
    const distributor = (await json(await api('/api/glossary?q=distributor', { headers: viewer }))).items[0];
    expect(distributor.th).toBe('ตัวแทนจำหน่าย');

    const rejected = await api('/api/glossary/import', {
      method: 'POST',
      body: JSON.stringify([{ en: 'a' }, { en: 'A' }, { note: 'x' }]),
    });
    expect(rejected.status).toBe(422);

    const replaced = await json(
      await api('/api/glossary/import?replace=true', {
        method: 'POST',
        body: JSON.stringify([{ en: 'only' }]),
      }),
    );
    expect(replaced.created).toBe(1);
    expect(replaced.removed).toBeGreaterThanOrEqual(3);
    expect((await json(await api('/api/glossary', { headers: viewer }))).total).toBe(1);
    expect((await api('/api/glossary/import', { method: 'POST', headers: viewer, body: '[]' })).status).toBe(
      403,
    );
  });
});
