import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorBox, PageHeader, useLoad } from '../components';
import { formatDate, t } from '../i18n';
import type { Role } from '../session';

interface StaffAccount {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  lastSignInAt: string | null;
}

const ROLES: Role[] = ['admin', 'curator', 'viewer'];

export function StaffPage() {
  const list = useLoad(
    async () => (await api<{ items: StaffAccount[] }>('GET', '/api/console/staff')).data.items,
    [],
  );
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState({ email: '', displayName: '', role: 'curator' as Role, password: '' });

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const patch = (id: string, body: Record<string, unknown>) =>
    act(() => api('PATCH', `/api/console/staff/${id}`, { body }));

  return (
    <>
      <PageHeader title={t('staff.title')} />
      <ErrorBox error={error ?? list.error} fields />
      <div class="table-scroll">
        <table class="grid">
          <thead>
            <tr>
              <th>{t('email')}</th>
              <th>{t('displayName')}</th>
              <th>{t('role')}</th>
              <th>{t('status')}</th>
              <th>{t('lastSignIn')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((s) => (
              <tr key={s.id}>
                <td class="mono">{s.email}</td>
                <td>{s.displayName}</td>
                <td>
                  <select
                    aria-label={t('role')}
                    value={s.role}
                    onChange={(e) => {
                      const select = e.target as HTMLSelectElement;
                      // A role change signs the person out everywhere: make it deliberate.
                      if (confirm(t('confirm'))) void patch(s.id, { role: select.value });
                      else select.value = s.role;
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {s.disabled ? (
                    <Badge tone="bad">{t('disabled')}</Badge>
                  ) : (
                    <Badge tone="ok">{t('active')}</Badge>
                  )}
                </td>
                <td class="muted nowrap">{formatDate(s.lastSignInAt)}</td>
                <td class="nowrap">
                  <button
                    class="link"
                    onClick={() => confirm(t('confirm')) && void patch(s.id, { disabled: !s.disabled })}
                  >
                    {s.disabled ? t('enable') : t('disable')}
                  </button>{' '}
                  <button
                    class="link"
                    onClick={() => {
                      const password = prompt(`${t('resetPassword')} (${t('passwordRule')})`);
                      if (password) void patch(s.id, { password });
                    }}
                  >
                    {t('resetPassword')}
                  </button>{' '}
                  <button
                    class="link"
                    onClick={() => void act(() => api('DELETE', `/api/console/staff/${s.id}/sessions`))}
                  >
                    {t('endSessions')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        class="card inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api('POST', '/api/console/staff', { body: draft });
            setDraft({ email: '', displayName: '', role: 'curator', password: '' });
          });
        }}
      >
        <h2>{t('createStaff')}</h2>
        <input
          type="email"
          required
          placeholder={t('email')}
          aria-label={t('email')}
          value={draft.email}
          onInput={(e) => setDraft({ ...draft, email: (e.target as HTMLInputElement).value })}
        />
        <input
          placeholder={t('displayName')}
          aria-label={t('displayName')}
          value={draft.displayName}
          onInput={(e) => setDraft({ ...draft, displayName: (e.target as HTMLInputElement).value })}
        />
        <select
          aria-label={t('role')}
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: (e.target as HTMLSelectElement).value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <input
          type="password"
          required
          minLength={12}
          autocomplete="new-password"
          placeholder={`${t('password')} (${t('passwordRule')})`}
          aria-label={t('password')}
          value={draft.password}
          onInput={(e) => setDraft({ ...draft, password: (e.target as HTMLInputElement).value })}
        />
        <button class="btn btn-primary" type="submit">
          {t('create')}
        </button>
      </form>
    </>
  );
}
