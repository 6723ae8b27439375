import type { RunningApp } from '../../src/bootstrap/start-app';
import { ApiTokenRepository } from '../../src/auth/api-token.repository';
import { japaneseProfile, thaiProfile } from '../fixtures/profiles';
import { adminAuth, startTestApp } from '../support/test-app';

/** The staff REST API over real HTTP against the booted app and an embedded PGlite. */
describe('companies API', () => {
  let running: RunningApp;
  let curator: Record<string, string>;
  let viewer: Record<string, string>;
  let partner: Record<string, string>;

  const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(running.url + path, {
      ...init,
      headers: { 'content-type': 'application/json', ...adminAuth, ...init.headers },
    });
  const json = async (res: Response) => (await res.json()) as Record<string, any>;

  beforeAll(async () => {
    running = await startTestApp();
    const tokens = new ApiTokenRepository(running.database.pool);
    curator = { Authorization: `Bearer ${(await tokens.create('cura', 'curator')).token}` };
    viewer = { Authorization: `Bearer ${(await tokens.create('vi', 'viewer')).token}` };
    partner = { Authorization: `Bearer ${(await tokens.create('pa', 'partner')).token}` };
  });
  afterAll(() => running.close());

  describe('CRUD', () => {
    it('creates, reads with an ETag, replaces, patches and archives a profile', async () => {
      const created = await api('/api/companies', {
        method: 'POST',
        body: JSON.stringify(thaiProfile('crud:1')),
        headers: curator,
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.headers.get('location')).toBe('/api/companies/crud%3A1');
      const body = await json(created);
      expect(body).toMatchObject({ externalId: 'crud:1', version: 1, names: { th: 'บริษัท สยามเบรก จำกัด' } });

      const got = await api('/api/companies/crud:1', { headers: curator });
      expect(got.headers.get('etag')).toBe('"1"');
      expect((await json(got)).contact.email).toBe('somchai@siam-brake.example');

      const put = await api('/api/companies/crud:1', {
        method: 'PUT',
        headers: { ...curator, 'If-Match': '"1"' },
        body: JSON.stringify(thaiProfile('crud:1', { employees: 450 })),
      });
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe('"2"');
      expect((await json(put)).employees).toBe(450);

      const patch = await api('/api/companies/crud:1', {
        method: 'PATCH',
        headers: { ...curator, 'If-Match': '"2"', 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ names: { ja: 'サイアムブレーキ' }, website: null }),
      });
      expect(patch.status).toBe(200);
      const patched = await json(patch);
      expect(patched.names).toEqual({
        th: 'บริษัท สยามเบรก จำกัด',
        en: 'Siam Brake Co., Ltd.',
        ja: 'サイアムブレーキ',
      });
      expect(patched.website).toBeUndefined();
      expect(patched.version).toBe(3);

      const del = await api('/api/companies/crud:1', { method: 'DELETE', headers: curator });
      expect(del.status).toBe(200);
      expect((await json(del)).status).toBe('archived');
    });

    it('hides contact data from viewers and in every list', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(thaiProfile('priv:1')) });
      const asViewer = await json(await api('/api/companies/priv:1', { headers: viewer }));
      expect(asViewer.contact).toBeUndefined();
      const list = await api('/api/companies?pageSize=200', { headers: curator });
      expect(await list.text()).not.toContain('somchai@siam-brake.example');
    });

    it('answers 409 for a duplicate create and 404 for an unknown id', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(japaneseProfile('dup:1')) });
      const again = await api('/api/companies', {
        method: 'POST',
        body: JSON.stringify(japaneseProfile('dup:1')),
      });
      expect(again.status).toBe(409);
      const missing = await api('/api/companies/nope:1');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
    });

    it('erases a profile and its contacts for admins only (hard=true)', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(thaiProfile('erase:1')) });
      const forbidden = await api('/api/companies/erase:1?hard=true', { method: 'DELETE', headers: curator });
      expect(forbidden.status).toBe(403);
      const erased = await api('/api/companies/erase:1?hard=true', { method: 'DELETE' });
      expect(erased.status).toBe(204);
      expect((await api('/api/companies/erase:1')).status).toBe(404);
      const { rows } = await running.database.pool.query(
        `SELECT count(*)::int AS n FROM company_contacts cc JOIN companies c ON c.id = cc.company_id WHERE c.external_id = 'erase:1'`,
      );
      expect(rows[0].n).toBe(0);
      const history = await json(await api('/api/companies/erase:1/history'));
      expect(history.items[0]).toMatchObject({ action: 'erase', before: null, after: null });
      expect(JSON.stringify(history)).not.toContain('somchai');
    });
  });

  describe('optimistic concurrency', () => {
    it('rejects a stale If-Match with 412 and changes nothing', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(japaneseProfile('etag:1')) });
      await api('/api/companies/etag:1', {
        method: 'PATCH',
        headers: { 'If-Match': '"1"' },
        body: JSON.stringify({ employees: 90 }),
      });
      const stale = await api('/api/companies/etag:1', {
        method: 'PATCH',
        headers: { 'If-Match': '"1"' },
        body: JSON.stringify({ employees: 1 }),
      });
      expect(stale.status).toBe(412);
      expect((await json(stale)).currentVersion).toBe(2);
      const now = await json(await api('/api/companies/etag:1'));
      expect(now.employees).toBe(90);
      expect(now.version).toBe(2);
    });

    it('does not bump the version for a PUT that changes nothing', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(japaneseProfile('noop:1')) });
      const res = await api('/api/companies/noop:1', {
        method: 'PUT',
        body: JSON.stringify(japaneseProfile('noop:1')),
      });
      expect(res.headers.get('etag')).toBe('"1"');
    });
  });

  describe('audit history', () => {
    it('records who changed which fields with before and after, without contact values', async () => {
      await api('/api/companies', {
        method: 'POST',
        body: JSON.stringify(thaiProfile('hist:1')),
        headers: curator,
      });
      await api('/api/companies/hist:1', {
        method: 'PATCH',
        headers: curator,
        body: JSON.stringify({ employees: 421, contact: { email: 'new@siam-brake.example' } }),
      });
      const history = await json(await api('/api/companies/hist:1/history', { headers: viewer }));
      expect(history.items).toHaveLength(2);
      expect(history.items[0]).toMatchObject({
        action: 'update',
        actor: 'token:cura',
        changedFields: ['employees', 'contact'],
        before: { employees: 420 },
        after: { employees: 421 },
      });
      expect(history.items[1].action).toBe('create');
      expect(JSON.stringify(history)).not.toContain('somchai@');
      expect(JSON.stringify(history)).not.toContain('new@siam-brake.example');
    });
  });

  describe('list', () => {
    beforeAll(async () => {
      const profiles = [
        ...Array.from({ length: 25 }, (_, i) => thaiProfile(`list:th:${String(i).padStart(2, '0')}`)),
        ...Array.from({ length: 5 }, (_, i) => japaneseProfile(`list:jp:${i}`, { status: 'draft' })),
      ];
      const res = await api('/api/companies/import', { method: 'POST', body: JSON.stringify(profiles) });
      expect(res.status).toBe(200);
    });

    it('filters by country, status, industry and q, paginates in a stable order', async () => {
      const page1 = await json(
        await api('/api/companies?country=TH&q=list:th&pageSize=10&page=1', { headers: viewer }),
      );
      expect(page1.total).toBe(25);
      expect(page1.totalPages).toBe(3);
      expect(page1.items.map((i: { externalId: string }) => i.externalId)).toEqual(
        Array.from({ length: 10 }, (_, i) => `list:th:${String(i).padStart(2, '0')}`),
      );
      const page3 = await json(await api('/api/companies?country=TH&q=list:th&pageSize=10&page=3'));
      expect(page3.items).toHaveLength(5);

      const drafts = await json(await api('/api/companies?status=draft&q=list:'));
      expect(drafts.total).toBe(5);
      const byCode = await json(await api('/api/companies?industry=JPX33:3550&q=list:'));
      expect(byCode.total).toBe(5);
      const byLabel = await json(
        await api('/api/companies?industry=' + encodeURIComponent('ยานยนต์') + '&q=list:'),
      );
      expect(byLabel.total).toBe(25);
      const byName = await json(await api('/api/companies?q=' + encodeURIComponent('東海精密')));
      expect(byName.items.every((i: { country: string }) => i.country === 'JP')).toBe(true);
    });

    it('rejects unknown or invalid query parameters with problem+json', async () => {
      const res = await api('/api/companies?country=CN&pageSize=1000&colour=red');
      expect(res.status).toBe(400);
      const problem = await json(res);
      expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        '(root)',
        'country',
        'pageSize',
      ]);
    });
  });

  describe('import', () => {
    it('writes nothing when any row is invalid and lists every rejected row with path and reason', async () => {
      const batch = [
        thaiProfile('imp:a'),
        { ...thaiProfile('imp:b'), country: 'CN' },
        thaiProfile('imp:c'),
        { ...japaneseProfile('imp:d'), colour: 'red' },
        thaiProfile('imp:a'),
      ];
      const res = await api('/api/companies/import', { method: 'POST', body: JSON.stringify(batch) });
      expect(res.status).toBe(422);
      const problem = await json(res);
      // Each reason also as a code with its figures, for clients that say it in their reader's language.
      expect(problem.report.rejected).toEqual([
        {
          row: 2,
          externalId: 'imp:b',
          errors: [
            {
              path: 'country',
              message: 'must be JP or TH',
              code: 'invalid_value',
              params: { values: ['JP', 'TH'] },
            },
          ],
        },
        {
          row: 4,
          externalId: 'imp:d',
          errors: [
            {
              path: '(root)',
              message: 'unknown field: colour',
              code: 'unrecognized_keys',
              params: { keys: ['colour'] },
            },
          ],
        },
        {
          row: 5,
          externalId: 'imp:a',
          errors: [
            {
              path: 'externalId',
              message: 'duplicate of row 1 in this batch',
              code: 'duplicate',
              params: { row: 1 },
            },
          ],
        },
      ]);
      expect((await api('/api/companies/imp:a')).status).toBe(404);
    });

    it('imports the valid rows with skipInvalid=true', async () => {
      const batch = [thaiProfile('skip:a'), { externalId: 'skip:b', country: 'TH' }, thaiProfile('skip:c')];
      const res = await api('/api/companies/import?skipInvalid=true', {
        method: 'POST',
        body: JSON.stringify(batch),
      });
      expect(res.status).toBe(200);
      const report = await json(res);
      expect(report).toMatchObject({ total: 3, valid: 2, created: 2, written: true });
      expect(report.rejected[0]).toMatchObject({ row: 2, errors: [{ path: 'names' }] });
      expect((await api('/api/companies/skip:c')).status).toBe(200);
    });

    it('dry run reports what would happen and writes nothing', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(thaiProfile('dry:old')) });
      const batch = [thaiProfile('dry:old', { employees: 1 }), thaiProfile('dry:new')];
      const report = await json(
        await api('/api/companies/import?dryRun=true', { method: 'POST', body: JSON.stringify(batch) }),
      );
      expect(report).toMatchObject({ dryRun: true, created: 1, updated: 1, written: false });
      expect((await api('/api/companies/dry:new')).status).toBe(404);
      expect((await json(await api('/api/companies/dry:old'))).employees).toBe(420);
    });

    it('imports CSV as a text/csv body and as a multipart upload, reporting the bad row', async () => {
      const csv =
        'externalId,country,names.th,names.en,offerings.th,partnershipTypes,employees\n' +
        'csv:1,TH,บริษัท หนึ่ง,One Co,ทุเรียนแช่แข็ง | มังคุด,distributor,30\n' +
        'csv:2,TH,,Two Co,,,lots\n';
      const res = await api('/api/companies/import', {
        method: 'POST',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(422);
      const problem = await json(res);
      // The row, and the line of the file it is on (the header is line 1).
      expect(problem.report.rejected).toEqual([
        {
          row: 2,
          line: 3,
          externalId: 'csv:2',
          errors: [
            {
              path: 'employees',
              message: 'row 2: must be a whole number, got "lots"',
              code: 'not_integer',
              params: { value: 'lots' },
            },
          ],
        },
      ]);

      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'companies.csv');
      const upload = await fetch(`${running.url}/api/companies/import?skipInvalid=true`, {
        method: 'POST',
        headers: adminAuth,
        body: form,
      });
      expect(upload.status).toBe(200);
      const one = await json(await api('/api/companies/csv:1'));
      expect(one.offerings).toEqual({ th: ['ทุเรียนแช่แข็ง', 'มังคุด'] });
    });

    it('requires the curator role', async () => {
      const res = await api('/api/companies/import', { method: 'POST', body: '[]', headers: viewer });
      expect(res.status).toBe(403);
    });
  });

  describe('export', () => {
    it.each(['json', 'csv'])('round-trips through import as %s with no change', async (format) => {
      const exported = await api(`/api/companies/export?format=${format}`, { headers: curator });
      expect(exported.status).toBe(200);
      const text = await exported.text();
      expect(text).toContain('somchai@siam-brake.example');
      const before = await running.database.pool.query(
        'SELECT external_id, version FROM companies ORDER BY 1',
      );
      const res = await api('/api/companies/import', {
        method: 'POST',
        body: text,
        headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/json' },
      });
      expect(res.status).toBe(200);
      const report = await json(res);
      expect(report).toMatchObject({ created: 0, updated: 0, rejected: [] });
      expect(report.unchanged).toBe(before.rows.length);
      const after = await running.database.pool.query(
        'SELECT external_id, version FROM companies ORDER BY 1',
      );
      expect(after.rows).toEqual(before.rows);
    });

    it('is not available to viewers (it carries contacts)', async () => {
      expect((await api('/api/companies/export', { headers: viewer })).status).toBe(403);
    });
  });

  describe('auth', () => {
    it('answers 401 without a token or with a wrong one, 403 for a wrong role', async () => {
      expect((await fetch(`${running.url}/api/companies`)).status).toBe(401);
      expect((await api('/api/companies', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
      expect((await api('/api/companies', { headers: { Authorization: 'Basic abc' } })).status).toBe(401);
      expect((await api('/api/companies', { headers: partner })).status).toBe(403);
      const write = await api('/api/companies', {
        method: 'POST',
        body: JSON.stringify(thaiProfile('role:1')),
        headers: viewer,
      });
      expect(write.status).toBe(403);
      expect(write.headers.get('content-type')).toContain('application/problem+json');
    });

    it('stops accepting a revoked token', async () => {
      const repo = new ApiTokenRepository(running.database.pool);
      const { id, token } = await repo.create('temp', 'viewer');
      expect((await api('/api/companies', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
        200,
      );
      await repo.revoke(id);
      expect((await api('/api/companies', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
        401,
      );
    });
  });

  describe('bad input never answers 500', () => {
    it.each([
      ['malformed JSON', { method: 'POST', body: '{"externalId": ', status: 400, type: 'malformed-json' }],
      ['a JSON array instead of an object', { method: 'POST', body: '[1]', status: 400, type: 'validation' }],
      [
        'wrong media type',
        {
          method: 'POST',
          body: 'hello',
          headers: { 'content-type': 'text/plain' },
          status: 415,
          type: 'unsupported-media-type',
        },
      ],
      [
        'an oversize body',
        {
          method: 'POST',
          body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
          status: 413,
          type: 'payload-too-large',
        },
      ],
    ] as const)('%s', async (_name, c) => {
      const res = await api('/api/companies', {
        method: c.method,
        body: c.body,
        headers: 'headers' in c ? c.headers : {},
      });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await json(res);
      expect(problem).toMatchObject({ status: c.status, type: `https://kakehashi.dev/problems/${c.type}` });
    });

    it('lists every invalid field with its path, unknown fields included', async () => {
      const res = await api('/api/companies', {
        method: 'POST',
        body: JSON.stringify({
          externalId: '-bad',
          country: 'TH',
          names: {},
          website: 'ftp://x',
          foundedYear: 1200,
          nickname: 'x',
          contact: { email: 'not-an-email' },
        }),
      });
      expect(res.status).toBe(400);
      const paths = ((await json(res)).errors as Array<{ path: string }>).map((e) => e.path).sort();
      expect(paths).toEqual(['(root)', 'contact.email', 'externalId', 'foundedYear', 'names', 'website']);
    });

    it('rejects an If-Match that is not an ETag', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(thaiProfile('ifm:1')) });
      const res = await api('/api/companies/ifm:1', {
        method: 'PATCH',
        headers: { 'If-Match': 'yesterday' },
        body: '{}',
      });
      expect(res.status).toBe(400);
    });

    it('rejects changing externalId through PUT or PATCH', async () => {
      await api('/api/companies', { method: 'POST', body: JSON.stringify(thaiProfile('idc:1')) });
      expect(
        (await api('/api/companies/idc:1', { method: 'PUT', body: JSON.stringify(thaiProfile('idc:2')) }))
          .status,
      ).toBe(400);
      expect(
        (await api('/api/companies/idc:1', { method: 'PATCH', body: JSON.stringify({ externalId: 'x' }) }))
          .status,
      ).toBe(400);
    });
  });

  describe('health and docs', () => {
    it('serves liveness, readiness and the OpenAPI document', async () => {
      expect(await json(await fetch(`${running.url}/health`))).toEqual({ status: 'ok' });
      const ready = await fetch(`${running.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await json(ready)).toMatchObject({
        status: 'ok',
        checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
      });
      const doc = await json(await fetch(`${running.url}/api/docs/openapi.json`));
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/companies', '/api/companies/import', '/api/companies/{externalId}']),
      );
      const page = await fetch(`${running.url}/api/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Kakehashi API</title>');
    });
  });
});
