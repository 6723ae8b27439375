import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorBox, PageHeader, Pager, useLoad } from '../components';
import { type MessageKey, type UiLang, formatDate, t, useLang } from '../i18n';
import { navigate, useLocation } from '../router';
import { can, useStaff } from '../session';

type Lang = 'ja' | 'th' | 'en';
type Status = 'draft' | 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled';
type Names = Partial<Record<Lang, string>> | null;

interface IntroductionRow {
  id: string;
  status: Status;
  route: 'chat' | 'staff' | null;
  target: { externalId: string; names: Names };
  requester: { channel: 'line' | 'web'; company: { externalId: string; names: Names } | null; lang: Lang };
  recipients: number;
  needsStaffSince: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  roomId: string | null;
  createdAt: string;
}

interface Page {
  items: IntroductionRow[];
  total: number;
  page: number;
  pageSize: number;
}

interface Detail {
  id: string;
  need: string | null;
  message: string | null;
  messageLang: Lang | null;
  declineReason: string | null;
  recipients: Array<{ channel: string; lang: Lang }>;
}

const STATUSES: Status[] = ['pending', 'accepted', 'declined', 'expired', 'draft', 'cancelled'];
const TONE: Record<Status, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  draft: 'muted',
  pending: 'info',
  accepted: 'ok',
  declined: 'bad',
  expired: 'muted',
  cancelled: 'muted',
};
const PAGE_SIZE = 50;

export function nameIn(names: Names, lang: UiLang, fallback: string): string {
  return names?.[lang] ?? names?.en ?? names?.ja ?? names?.th ?? fallback;
}

/**
 * Every introduction request and its state, newest first. Requests that wait for staff (the target has nobody
 * on the chat, or asked for help) are flagged; curators accept or decline on the target company's behalf.
 */
export function IntroductionsPage() {
  const lang = useLang();
  const staff = useStaff();
  const canAct = can(staff, 'curator');
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const needsStaff = query.get('needsStaff') === 'true';
  const page = Number(query.get('page') ?? '1') || 1;
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams({
      ...(status ? { status } : {}),
      ...(needsStaff ? { needsStaff: 'true' } : {}),
    });
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    navigate(`/console/introductions${next.toString() ? `?${next}` : ''}`, true);
  };
  const list = useLoad(async () => {
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) params.set('status', status);
    if (needsStaff) params.set('needsStaff', 'true');
    return (await api<Page>('GET', `/api/introductions?${params}`)).data;
  }, [status, needsStaff, page]);

  const act = async (id: string, action: 'accept' | 'decline') => {
    setError(null);
    try {
      if (action === 'accept') {
        if (!confirm(t('intro.acceptConfirm'))) return;
        await api('POST', `/api/introductions/${id}/accept`, { body: {} });
      } else {
        const reason = prompt(t('intro.declineReason'));
        if (reason === null) return;
        await api('POST', `/api/introductions/${id}/decline`, {
          body: reason.trim() ? { reason: reason.trim() } : {},
        });
      }
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  const data = list.data;
  return (
    <>
      <PageHeader
        title={t('nav.introductions')}
        sub={data ? t('intro.count', { n: data.total }) : undefined}
      />
      <div class="filters">
        <select
          aria-label={t('status')}
          data-filter="status"
          value={status}
          onChange={(e) => set({ status: (e.target as HTMLSelectElement).value, page: '' })}
        >
          <option value="">
            {t('status')}: {t('all')}
          </option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`intro.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
        <label class="check">
          <input
            type="checkbox"
            checked={needsStaff}
            onChange={(e) =>
              set({ needsStaff: (e.target as HTMLInputElement).checked ? 'true' : '', page: '' })
            }
          />{' '}
          {t('intro.needsStaff')}
        </label>
      </div>
      <ErrorBox error={error ?? list.error} onRetry={list.reload} />
      <div class="table-scroll">
        <table class={`grid conv-list${list.loading ? ' is-loading' : ''}`} data-testid="introductions-table">
          <thead>
            <tr>
              <th>{t('intro.created')}</th>
              <th>{t('intro.requester')}</th>
              <th>{t('intro.target')}</th>
              <th>{t('status')}</th>
              <th>{t('intro.route')}</th>
              <th>{t('intro.expires')}</th>
              {canAct && <th>{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {data?.items.length === 0 && (
              <tr>
                <td colSpan={7} class="muted">
                  {t('noResults')}
                </td>
              </tr>
            )}
            {data?.items.flatMap((i) => {
              const rows = [
                <tr
                  key={i.id}
                  class={i.needsStaffSince && i.status === 'pending' ? 'needs-staff' : ''}
                  onClick={() => setOpen(open === i.id ? null : i.id)}
                >
                  <td class="nowrap">{formatDate(i.createdAt)}</td>
                  <td>
                    {i.requester.company
                      ? nameIn(i.requester.company.names, lang, i.requester.company.externalId)
                      : t('intro.unlinked')}{' '}
                    <span class="muted small">
                      {i.requester.channel.toUpperCase()} · {i.requester.lang}
                    </span>
                  </td>
                  <td>{nameIn(i.target.names, lang, i.target.externalId)}</td>
                  <td>
                    <Badge tone={TONE[i.status]}>{t(`intro.status.${i.status}` as MessageKey)}</Badge>{' '}
                    {i.needsStaffSince && i.status === 'pending' && (
                      <Badge tone="warn">{t('intro.needsStaff')}</Badge>
                    )}
                  </td>
                  <td class="muted">
                    {i.route
                      ? t(i.route === 'chat' ? 'intro.route.chat' : 'intro.route.staff', { n: i.recipients })
                      : '—'}
                  </td>
                  <td class="nowrap muted">{i.status === 'pending' ? formatDate(i.expiresAt) : '—'}</td>
                  {canAct && (
                    <td class="nowrap" onClick={(e) => e.stopPropagation()}>
                      {i.status === 'pending' && (
                        <>
                          <button class="link" onClick={() => void act(i.id, 'accept')}>
                            {t('intro.accept')}
                          </button>{' '}
                          <button class="link danger" onClick={() => void act(i.id, 'decline')}>
                            {t('intro.decline')}
                          </button>
                        </>
                      )}
                      {i.roomId && (
                        <a class="link" href={`/console/rooms/${i.roomId}`}>
                          {t('intro.openRoom')}
                        </a>
                      )}
                    </td>
                  )}
                </tr>,
              ];
              if (open === i.id)
                rows.push(
                  <tr key={`${i.id}-detail`} class="editing">
                    <td colSpan={7}>
                      <IntroductionDetail id={i.id} />
                    </td>
                  </tr>,
                );
              return rows;
            })}
          </tbody>
        </table>
      </div>
      {data && data.total > PAGE_SIZE && (
        <Pager
          page={page}
          totalPages={Math.ceil(data.total / PAGE_SIZE)}
          onPage={(p) => set({ page: String(p) })}
        />
      )}
    </>
  );
}

function IntroductionDetail({ id }: { id: string }) {
  const detail = useLoad(async () => (await api<Detail>('GET', `/api/introductions/${id}`)).data, [id]);
  const d = detail.data;
  if (!d) return <ErrorBox error={detail.error} />;
  return (
    <dl class="intro-detail">
      <dt>{t('intro.need')}</dt>
      <dd>{d.need ?? '—'}</dd>
      <dt>{t('intro.message')}</dt>
      <dd lang={d.messageLang ?? undefined} class="conv-text">
        {d.message ?? '—'}
      </dd>
      {d.declineReason && (
        <>
          <dt>{t('intro.reason')}</dt>
          <dd class="conv-text">{d.declineReason}</dd>
        </>
      )}
      <dt>{t('intro.told')}</dt>
      <dd>
        {d.recipients.length
          ? d.recipients.map((r) => `${r.channel.toUpperCase()} (${r.lang})`).join(', ')
          : '—'}
      </dd>
    </dl>
  );
}
