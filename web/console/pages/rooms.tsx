import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorBox, PageHeader, useLoad } from '../components';
import { type UiLang, formatDate, t, useLang } from '../i18n';
import { navigate, useLocation } from '../router';
import { can, useStaff } from '../session';
import { nameIn } from './introductions';

type Lang = 'ja' | 'th' | 'en';
type Names = Partial<Record<Lang, string | null>>;
const LANGS: Lang[] = ['ja', 'th', 'en'];

interface RoomSummary {
  id: string;
  companies: { a: { externalId: string; names: Names } | null; b: { externalId: string; names: Names } };
  status: 'open' | 'closed';
  mode: 'bot' | 'staff';
  aCompany?: string;
  bCompany: string;
  needsStaffSince?: string;
  reportedAt?: string;
  contactsRevealedAt?: string;
  members: { a: number; b: number; staff: number };
  messages: number;
  lastMessageAt?: string;
  updatedAt: string;
}

interface RoomMessage {
  id: string;
  seq: number;
  senderKind: 'member' | 'staff' | 'system';
  side: 'a' | 'b' | 'staff' | null;
  senderName: string | null;
  kind: 'text' | 'image' | 'file' | 'sticker' | 'notice';
  status: 'pending' | 'ready' | 'delivered';
  original: { text: string; lang: Lang | null } | null;
  translations: Partial<Record<Lang, { text: string; unavailable: boolean }>>;
  attachment: {
    url?: string;
    name?: string | null;
    media?: string | null;
    keywords?: string[];
    failed?: boolean;
  } | null;
  notice: string | null;
  createdAt: string;
}

interface RoomView {
  room: RoomSummary;
  members: Array<{
    id: string;
    side: 'a' | 'b' | 'staff';
    channel: string;
    lang: Lang;
    leftAt: string | null;
  }>;
  messages: RoomMessage[];
}

const POLL_MS = 2500;

function usePolling(tick: () => void, ms: number, deps: unknown[]): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') tick();
    }, ms);
    return () => clearInterval(timer);
  }, deps);
}

const names = (n: Names | undefined | null) =>
  n ? (Object.fromEntries(Object.entries(n).filter(([, v]) => !!v)) as Partial<Record<Lang, string>>) : null;

/** Deal rooms: those that need staff (asked, reported) first; open one to read and write. */
export function RoomsPage() {
  const { query } = useLocation();
  const status = query.get('status') ?? 'open';
  const needsStaff = query.get('needsStaff') === 'true';
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams({ status, ...(needsStaff ? { needsStaff: 'true' } : {}), ...changes });
    for (const [k, v] of [...next.entries()]) if (!v) next.delete(k);
    navigate(`/console/rooms?${next}`, true);
  };
  const list = useLoad(async () => {
    const params = new URLSearchParams({ pageSize: '100' });
    if (status !== 'all') params.set('status', status);
    if (needsStaff) params.set('needsStaff', 'true');
    return (await api<{ items: RoomSummary[] }>('GET', `/api/rooms?${params}`)).data;
  }, [status, needsStaff]);
  usePolling(list.reload, POLL_MS * 2, [status, needsStaff]);
  const lang = useLang();
  const label = (c: RoomSummary['companies']['a']) =>
    c ? nameIn(names(c.names), lang, c.externalId) : t('room.unlinked');

  return (
    <>
      <PageHeader title={t('nav.rooms')} sub={t('room.help')} />
      <div class="filters">
        <select
          aria-label={t('status')}
          value={status}
          onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}
        >
          <option value="open">{t('room.open')}</option>
          <option value="closed">{t('room.closed')}</option>
          <option value="all">{t('all')}</option>
        </select>
        <label class="check">
          <input
            type="checkbox"
            checked={needsStaff}
            onChange={(e) => set({ needsStaff: (e.target as HTMLInputElement).checked ? 'true' : '' })}
          />{' '}
          {t('intro.needsStaff')}
        </label>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      <div class="table-scroll">
        <table class="grid conv-list" data-testid="rooms-table">
          <thead>
            <tr>
              <th>{t('room.sideA')}</th>
              <th>{t('room.sideB')}</th>
              <th>{t('room.members')}</th>
              <th>{t('room.messages')}</th>
              <th>{t('status')}</th>
              <th>{t('updated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.length === 0 && (
              <tr>
                <td colSpan={6} class="muted">
                  {t('noResults')}
                </td>
              </tr>
            )}
            {list.data?.items.map((r) => (
              <tr
                key={r.id}
                class={r.needsStaffSince ? 'needs-staff' : ''}
                onClick={() => navigate(`/console/rooms/${r.id}`)}
              >
                <td>{label(r.companies.a)}</td>
                <td>{label(r.companies.b)}</td>
                <td class="nowrap">
                  {r.members.a} · {r.members.b}
                  {r.members.staff > 0 ? ` · ${t('room.staffShort')}` : ''}
                </td>
                <td>{r.messages}</td>
                <td>
                  <RoomBadges room={r} />
                </td>
                <td class="nowrap muted">{formatDate(r.lastMessageAt ?? r.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RoomBadges({ room }: { room: RoomSummary }) {
  return (
    <span class="flags">
      <Badge tone={room.status === 'open' ? 'ok' : 'muted'}>
        {t(room.status === 'open' ? 'room.open' : 'room.closed')}
      </Badge>{' '}
      {room.mode === 'staff' && <Badge tone="info">{t('room.staffIn')}</Badge>}{' '}
      {room.reportedAt && <Badge tone="bad">{t('room.reported')}</Badge>}{' '}
      {room.needsStaffSince && !room.reportedAt && <Badge tone="warn">{t('intro.needsStaff')}</Badge>}{' '}
      {room.contactsRevealedAt && <Badge tone="muted">{t('room.contactsShared')}</Badge>}
    </span>
  );
}

/**
 * One room as staff see it: every message with its original and the translations each side read, side by side;
 * join, write in one's own language (translated for both sides), hand back, close, invite a colleague of a side.
 */
export function RoomPage({ id }: { id: string }) {
  const lang = useLang();
  const staff = useStaff();
  const canAct = can(staff, 'curator');
  const view = useLoad(async () => (await api<RoomView>('GET', `/api/rooms/${id}`)).data, [id]);
  usePolling(view.reload, POLL_MS, [id]);
  const [text, setText] = useState('');
  const [writeLang, setWriteLang] = useState<Lang>(lang);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<string | null>(null);

  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      view.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const data = view.data;
  const room = data?.room;
  const nameOf = (side: 'a' | 'b') => {
    const c = room?.companies[side];
    return c ? nameIn(names(c.names), lang, c.externalId) : t('room.unlinked');
  };
  const joined = !!data?.members.some((m) => m.side === 'staff' && !m.leftAt && m.channel === 'console');
  const open = room?.status === 'open';

  return (
    <>
      <PageHeader
        title={room ? `${nameOf('a')} ⇄ ${nameOf('b')}` : t('nav.rooms')}
        sub={<a href="/console/rooms">← {t('nav.rooms')}</a>}
      >
        {room && <RoomBadges room={room} />}
        {canAct && open && !joined && (
          <button
            class="btn btn-primary"
            disabled={busy}
            onClick={() =>
              void run(() => api('POST', `/api/rooms/${id}/join`, { body: { lang: writeLang } }))
            }
          >
            {t('room.join')}
          </button>
        )}
        {canAct && open && (joined || room?.mode === 'staff') && (
          <button
            class="btn btn-ok"
            disabled={busy}
            onClick={() => void run(() => api('POST', `/api/rooms/${id}/hand-back`, { body: {} }))}
          >
            {t('room.handBack')}
          </button>
        )}
        {canAct && open && (
          <button
            class="btn"
            disabled={busy}
            onClick={() => {
              const reason = prompt(t('room.closeReason'));
              if (reason !== null)
                void run(() =>
                  api('POST', `/api/rooms/${id}/close`, {
                    body: reason.trim() ? { reason: reason.trim() } : {},
                  }),
                );
            }}
          >
            {t('room.close')}
          </button>
        )}
      </PageHeader>
      <ErrorBox error={error ?? view.error} onRetry={view.reload} />
      {data && (
        <>
          <p class="muted small">
            {t('room.sideA')}: {nameOf('a')} (
            {data.members
              .filter((m) => m.side === 'a' && !m.leftAt)
              .map((m) => `${m.channel.toUpperCase()} ${m.lang}`)
              .join(', ') || '—'}
            ) · {t('room.sideB')}: {nameOf('b')} (
            {data.members
              .filter((m) => m.side === 'b' && !m.leftAt)
              .map((m) => `${m.channel.toUpperCase()} ${m.lang}`)
              .join(', ') || '—'}
            )
            {canAct && open && (
              <>
                {' '}
                ·{' '}
                {(['a', 'b'] as const).map((side) => (
                  <button
                    key={side}
                    class="link"
                    onClick={() =>
                      void run(async () => {
                        const r = await api<{ code: string; expiresInHours: number }>(
                          'POST',
                          `/api/rooms/${id}/invites`,
                          { body: { side } },
                        );
                        setInvite(
                          t('room.inviteCode', {
                            code: r.data.code,
                            side: nameOf(side),
                            h: r.data.expiresInHours,
                          }),
                        );
                      })
                    }
                  >
                    {t('room.invite', { side: nameOf(side) })}
                  </button>
                ))}
              </>
            )}
          </p>
          {invite && <div class="alert alert-info">{invite}</div>}
          <div class="conv-thread" data-testid="room-thread">
            {data.messages.map((m) => (
              <RoomMessageRow key={m.id} m={m} lang={lang} sideName={nameOf} />
            ))}
          </div>
          {canAct && open && (
            <div class="card conv-composer">
              <textarea
                rows={3}
                placeholder={t('conv.replyPlaceholder')}
                aria-label={t('conv.replyPlaceholder')}
                value={text}
                onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
              />
              <div class="conv-composer-row">
                <label>
                  {t('conv.writtenIn')}{' '}
                  <select
                    value={writeLang}
                    onChange={(e) => setWriteLang((e.target as HTMLSelectElement).value as Lang)}
                  >
                    {LANGS.map((l) => (
                      <option key={l} value={l}>
                        {t(`lang.${l}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <span class="muted small">{t('room.translatedForBoth')}</span>
                <button
                  class="btn btn-primary"
                  disabled={busy || !text.trim()}
                  onClick={() =>
                    void run(async () => {
                      await api('POST', `/api/rooms/${id}/messages`, {
                        body: { text: text.trim(), lang: writeLang },
                      });
                      setText('');
                    })
                  }
                >
                  {t('conv.send')}
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </>
  );
}

function RoomMessageRow({
  m,
  lang,
  sideName,
}: {
  m: RoomMessage;
  lang: UiLang;
  sideName: (s: 'a' | 'b') => string;
}) {
  if (m.kind === 'notice')
    return (
      <div class="room-notice muted small">
        {formatDate(m.createdAt)} · {m.notice}
      </div>
    );
  const who =
    m.senderKind === 'staff' ? t('room.staff') : m.side === 'a' || m.side === 'b' ? sideName(m.side) : '—';
  const translations = Object.entries(m.translations) as Array<
    [Lang, { text: string; unavailable: boolean }]
  >;
  const body =
    m.kind === 'text' ? (
      <div class="conv-sides">
        <div class="conv-text" lang={m.original?.lang ?? undefined}>
          <span class="muted small">{m.original?.lang ? t(`lang.${m.original.lang}`) : '—'}</span>
          <br />
          {m.original?.text ?? ''}
        </div>
        <div class="conv-text conv-other">
          {translations.length === 0 && <span class="muted small">{t('room.noTranslation')}</span>}
          {translations.map(([l, tr]) => (
            <div key={l} lang={l}>
              <span class="muted small">
                {t(`lang.${l}`)}
                {tr.unavailable ? ` · ${t('room.untranslated')}` : ''}
              </span>
              <br />
              {tr.text}
            </div>
          ))}
        </div>
      </div>
    ) : m.attachment?.url ? (
      <a href={m.attachment.url} target="_blank" rel="noopener noreferrer">
        {m.attachment.media === 'image' ? '🖼' : '📎'} {m.attachment.name ?? m.kind}
      </a>
    ) : m.attachment?.keywords ? (
      <span class="muted">
        {t('room.sticker')}: {m.attachment.keywords.join(', ')}
      </span>
    ) : (
      <span class="muted">{m.kind}</span>
    );
  return (
    <div
      class={`conv-msg ${m.senderKind === 'staff' ? 'from-staff' : m.side === 'a' ? 'from-user' : 'from-side-b'}`}
      data-seq={m.seq}
    >
      <div class="conv-meta">
        <strong>{who}</strong> · {formatDate(m.createdAt)} · #{m.seq}
        {m.status !== 'delivered' && <Badge tone="warn">{t('room.pending')}</Badge>}
        <span class="sr-only">{lang}</span>
      </div>
      {body}
    </div>
  );
}
