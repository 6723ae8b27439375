import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorBox, PageHeader, useLoad } from '../components';
import { formatDate, t } from '../i18n';

interface TokenRow {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const ROLES = ['admin', 'curator', 'viewer', 'partner'] as const;

export function TokensPage() {
  const list = useLoad(
    async () => (await api<{ items: TokenRow[] }>('GET', '/api/console/tokens')).data.items,
    [],
  );
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('partner');
  const [fresh, setFresh] = useState<string | null>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ id: string; token: string }>('POST', '/api/console/tokens', {
        body: { name, role },
      });
      setFresh(r.data.token);
      setName('');
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    if (!confirm(t('confirm'))) return;
    try {
      await api('DELETE', `/api/console/tokens/${id}`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader title={t('tokens.title')} />
      <ErrorBox error={error ?? list.error} />
      {fresh && (
        <div class="alert alert-warn" data-testid="fresh-token">
          {t('tokenOnce')}
          <pre class="token">{fresh}</pre>
          <button class="btn btn-small" onClick={() => setFresh(null)}>
            {t('close')}
          </button>
        </div>
      )}
      <div class="table-scroll">
        <table class="grid">
          <thead>
            <tr>
              <th>{t('tokenName')}</th>
              <th>{t('role')}</th>
              <th>{t('created')}</th>
              <th>{t('lastUsed')}</th>
              <th>{t('status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.map((tk) => (
              <tr key={tk.id} class={tk.revokedAt ? 'muted' : ''}>
                <td>{tk.name}</td>
                <td>{t(`role.${tk.role}` as 'role.admin')}</td>
                <td class="nowrap">{formatDate(tk.createdAt)}</td>
                <td class="nowrap">{formatDate(tk.lastUsedAt)}</td>
                <td>
                  {tk.revokedAt ? (
                    <Badge tone="bad">{t('revoked')}</Badge>
                  ) : (
                    <Badge tone="ok">{t('active')}</Badge>
                  )}
                </td>
                <td>
                  {!tk.revokedAt && (
                    <button class="link danger" onClick={() => void revoke(tk.id)}>
                      {t('revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="card inline-form" onSubmit={(e) => void create(e)}>
        <h2>{t('createToken')}</h2>
        <input
          required
          placeholder={t('tokenName')}
          aria-label={t('tokenName')}
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <select
          aria-label={t('role')}
          value={role}
          onChange={(e) => setRole((e.target as HTMLSelectElement).value)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <button class="btn btn-primary" type="submit">
          {t('create')}
        </button>
      </form>
    </>
  );
}
