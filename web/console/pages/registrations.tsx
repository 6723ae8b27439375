import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { Badge, ErrorBox, PageHeader, Pager, StatusBadge, useLoad } from '../components';
import { type MessageKey, type UiLang, formatDate, t, useLang } from '../i18n';
import { navigate, useLocation } from '../router';
import { can, useStaff } from '../session';
import type { Lang, ProfileDto } from '../profile-form';
import { nameIn } from './introductions';

type Status = 'drafting' | 'submitted' | 'question' | 'approved' | 'rejected' | 'cancelled';
type Step =
  | 'country'
  | 'name'
  | 'offers'
  | 'seeks'
  | 'partnership'
  | 'region'
  | 'size'
  | 'website'
  | 'contact'
  | 'review';

/** One row of GET /api/registrations (src/registration/registration-review.service.ts summary()). */
interface Summary {
  id: string;
  /** 'change': a linked firm's edit of its published profile (companyExternalId). */
  kind: 'new' | 'change';
  status: Status;
  channel: 'line' | 'web';
  lang: Lang;
  name: string | null;
  country: 'JP' | 'TH' | null;
  summary: string | null;
  submittedAt: string | null;
  updatedAt: string;
  companyExternalId: string | null;
}

interface ListPage {
  items: Summary[];
  total: number;
  page: number;
  pageSize: number;
  counts: Partial<Record<Status, number>>;
}

interface Duplicate {
  externalId: string;
  names: Partial<Record<Lang, string>> | null;
  status: string;
  matchedOn: Array<'name' | 'website' | 'phone' | 'email'>;
}

interface Detail extends Summary {
  profile: ProfileDto;
  transcript: Array<{ at: string; by: 'bot' | 'firm' | 'staff'; text: string; step?: Step }>;
  staffQuestion: string | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  duplicates: Duplicate[];
}

/** The queue's views: "waiting" is both states that wait on someone (staff, or the firm's answer). */
const VIEWS = ['waiting', 'approved', 'rejected', 'all'] as const;
type View = (typeof VIEWS)[number];
const WAITING: Status[] = ['submitted', 'question'];
const TONE: Record<Status, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  drafting: 'muted',
  submitted: 'info',
  question: 'warn',
  approved: 'ok',
  rejected: 'bad',
  cancelled: 'muted',
};
const PAGE_SIZE = 50;

const statusText = (s: Status) => t(`reg.status.${s}` as MessageKey);
const langText = (l: string) => (l === 'ja' || l === 'th' || l === 'en' ? t(`lang.${l}`) : l);
const countryText = (c: string | null) => (c === 'JP' || c === 'TH' ? t(`country.${c}`) : '—');

/**
 * Firms' own registrations, made in the chat interview, for staff to review: the queue (those waiting first) and,
 * beside it, the one chosen: the profile it would publish, profiles it may duplicate, the interview, and the
 * three decisions (curators and admins only).
 */
export function RegistrationsPage() {
  useLang();
  const staff = useStaff();
  const canAct = can(staff, 'curator');
  const { query } = useLocation();
  const view: View = (VIEWS as readonly string[]).includes(query.get('view') ?? '')
    ? (query.get('view') as View)
    : 'waiting';
  const selected = query.get('id');
  const page = Number(query.get('page') ?? '1') || 1;
  const href = (changes: { view?: View; id?: string; page?: number }) => {
    const next = new URLSearchParams();
    const v = changes.view ?? view;
    if (v !== 'waiting') next.set('view', v);
    const p = changes.page ?? (changes.view ? 1 : page);
    if (p > 1) next.set('page', String(p));
    const id = changes.id ?? selected;
    if (id) next.set('id', id);
    return `/console/registrations${next.toString() ? `?${next}` : ''}`;
  };

  const list = useLoad(async () => {
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    // The API lists those waiting first when no status is given: page N of that list, cut to the waiting ones,
    // is page N of the waiting queue.
    if (view === 'approved' || view === 'rejected') params.set('status', view);
    const data = (await api<ListPage>('GET', `/api/registrations?${params}`)).data;
    if (view !== 'waiting') return { ...data, shown: data.total };
    const waiting = WAITING.reduce((n, s) => n + (data.counts[s] ?? 0), 0);
    return { ...data, items: data.items.filter((r) => WAITING.includes(r.status)), shown: waiting };
  }, [view, page]);

  const data = list.data;
  const counts = data?.counts ?? {};
  const countOf: Record<View, number> = {
    waiting: (counts.submitted ?? 0) + (counts.question ?? 0),
    approved: counts.approved ?? 0,
    rejected: counts.rejected ?? 0,
    all: (['submitted', 'question', 'approved', 'rejected'] as const).reduce(
      (n, s) => n + (counts[s] ?? 0),
      0,
    ),
  };
  const totalPages = data ? Math.max(1, Math.ceil(data.shown / PAGE_SIZE)) : 1;

  return (
    <>
      <PageHeader
        title={t('nav.registrations')}
        sub={
          data ? (
            <span data-testid="reg-waiting">
              {t('reg.waitingCount', { n: counts.submitted ?? 0 })}
              {counts.question ? ` · ${t('reg.questionCount', { n: counts.question })}` : ''}
            </span>
          ) : undefined
        }
      />
      <p class="hint reg-help">{t('reg.help')}</p>
      <div class="tabs reg-tabs" role="tablist" data-testid="reg-tabs">
        {VIEWS.map((v) => (
          <button
            role="tab"
            key={v}
            data-view={v}
            aria-selected={v === view}
            class={v === view ? 'active' : ''}
            onClick={() => navigate(href({ view: v }), true)}
          >
            {t(`reg.view.${v}`)}{' '}
            {data && <Badge tone={v === 'waiting' && countOf[v] > 0 ? 'info' : 'muted'}>{countOf[v]}</Badge>}
          </button>
        ))}
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      <div class="reg-layout">
        <section class="reg-queue" aria-label={t('nav.registrations')}>
          <div class="table-scroll">
            <table
              class={`grid reg-list${list.loading ? ' is-loading' : ''}`}
              data-testid="registrations-table"
            >
              <thead>
                <tr>
                  <th>{t('reg.company')}</th>
                  <th>{t('reg.submitted')}</th>
                  <th>{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {data?.items.length === 0 && (
                  <tr class="empty-row">
                    <td colSpan={3} class="muted">
                      {view === 'waiting' ? t('reg.noneWaiting') : t('noResults')}
                    </td>
                  </tr>
                )}
                {data?.items.map((r) => (
                  <tr
                    key={r.id}
                    data-id={r.id}
                    data-status={r.status}
                    class={r.id === selected ? 'selected' : ''}
                    aria-selected={r.id === selected}
                    onClick={(e) => {
                      // The name is a link (handled by the console's link handler); the rest of the row too.
                      if (!(e.target as HTMLElement).closest('a')) navigate(href({ id: r.id }));
                    }}
                  >
                    <td>
                      <a class="primary-name" href={href({ id: r.id })} lang={r.lang}>
                        {r.name ?? '—'}
                      </a>
                      <div class="muted small">
                        {countryText(r.country)} · {t(`conv.channel.${r.channel}`)} · {langText(r.lang)}
                      </div>
                    </td>
                    <td class="nowrap muted">{formatDate(r.submittedAt)}</td>
                    <td>
                      <Badge tone={TONE[r.status]}>{statusText(r.status)}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data && totalPages > 1 && (
            <Pager page={page} totalPages={totalPages} onPage={(p) => navigate(href({ page: p }), true)} />
          )}
        </section>
        <section class="reg-detail" aria-live="polite">
          {selected ? (
            <RegistrationDetail key={selected} id={selected} canAct={canAct} onChanged={list.reload} />
          ) : (
            <p class="empty">{t('reg.choose')}</p>
          )}
        </section>
      </div>
    </>
  );
}

type Action = 'approve' | 'ask' | 'reject';

function RegistrationDetail(props: { id: string; canAct: boolean; onChanged: () => void }) {
  const ui = useLang();
  const detail = useLoad(
    async () => (await api<Detail>('GET', `/api/registrations/${props.id}`)).data,
    [props.id],
  );
  const top = useRef<HTMLDivElement>(null);
  const [question, setQuestion] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Action, unknown>>>({});
  const [notice, setNotice] = useState<{ tone: 'ok' | 'warn'; text: string } | null>(null);

  // Where the queue and the registration are stacked (narrow windows), bring the registration into view.
  useEffect(() => {
    if (window.matchMedia('(max-width: 1099px)').matches) top.current?.scrollIntoView({ block: 'start' });
  }, [props.id]);

  const act = async (action: Action) => {
    if (action === 'approve' && !confirm(t('reg.approveConfirm'))) return;
    if (action === 'reject' && reason.trim() && !confirm(t('reg.rejectConfirm'))) return;
    setBusy(action);
    setErrors({});
    setNotice(null);
    try {
      const body = action === 'ask' ? { question } : action === 'reject' ? { reason } : {};
      const res = await api<Detail>('POST', `/api/registrations/${props.id}/${action}`, { body });
      if (action === 'ask') setQuestion('');
      if (action === 'reject') setReason('');
      setNotice({
        tone: 'ok',
        text:
          action === 'approve'
            ? t('reg.done.approved', { id: res.data.companyExternalId ?? '' })
            : action === 'ask'
              ? t('reg.done.asked')
              : t('reg.done.rejected'),
      });
      detail.reload();
      props.onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Decided meanwhile (another tab, another curator): show what it is now.
        setNotice({ tone: 'warn', text: t('reg.alreadyDecided') });
        detail.reload();
        props.onChanged();
      } else setErrors({ [action]: err });
    } finally {
      setBusy(null);
    }
  };

  const d = detail.data;
  if (!d) {
    return (
      <div ref={top} class="card">
        {detail.error ? <ErrorBox error={detail.error} onRetry={detail.reload} /> : t('loading')}
      </div>
    );
  }
  const decidable = d.status === 'submitted' || d.status === 'question';
  const fieldError = (action: Action, field: string) => {
    const e = errors[action];
    return e instanceof ApiError && (e.problem.errors ?? []).some((f) => f.path === field);
  };

  return (
    <div ref={top} class="reg-view" data-testid="registration-detail" data-id={d.id}>
      <div class="card reg-head">
        <div class="reg-title">
          <h2 lang={d.lang}>{d.name ?? '—'}</h2>
          <span data-testid="reg-status">
            <Badge tone={TONE[d.status]}>{statusText(d.status)}</Badge>
          </span>
          {d.kind === 'change' && (
            <span data-testid="reg-kind">
              <Badge tone="info">{t('reg.kind.change')}</Badge>
            </span>
          )}
        </div>
        <div class="muted small reg-meta">
          <span>{countryText(d.country)}</span>
          <span>{t(`conv.channel.${d.channel}`)}</span>
          <span>
            {t('reg.firmLang')}: {langText(d.lang)}
          </span>
          <span>
            {t('reg.submitted')}: {formatDate(d.submittedAt)}
          </span>
        </div>
        {notice && (
          <div class={`alert alert-${notice.tone}`} data-testid="reg-notice" role="status">
            {notice.text}
          </div>
        )}
        {d.status === 'question' && d.staffQuestion && (
          <div class="alert alert-warn reg-question" data-testid="reg-question">
            <div>
              <strong>{t('reg.questionSent')}</strong>
              <div class="conv-text" lang={d.lang}>
                {d.staffQuestion}
              </div>
              <div class="small">{t('reg.questionWaiting')}</div>
            </div>
          </div>
        )}
        {(d.status === 'approved' || d.status === 'rejected') && (
          <dl class="intro-detail reg-decision" data-testid="reg-decision">
            <dt>{t('reg.decidedBy')}</dt>
            <dd>
              {d.decidedBy ?? '—'} · {formatDate(d.decidedAt)}
            </dd>
            {d.status === 'rejected' && (
              <>
                <dt>{t('reg.reason')}</dt>
                <dd class="conv-text">{d.decisionReason ?? '—'}</dd>
              </>
            )}
            {d.status === 'approved' && d.companyExternalId && (
              <>
                <dt>{t('reg.published')}</dt>
                <dd>
                  <a
                    href={`/console/profiles/${encodeURIComponent(d.companyExternalId)}`}
                    data-testid="published-profile"
                  >
                    {t('reg.openProfile')}
                  </a>{' '}
                  <span class="mono">{d.companyExternalId}</span>
                </dd>
              </>
            )}
          </dl>
        )}
      </div>

      {/* Once approved, the profile it published matches it on every count: not a duplicate. */}
      <Duplicates items={d.duplicates.filter((x) => x.externalId !== d.companyExternalId)} ui={ui} />
      <ProfileView profile={d.profile} lang={d.lang} status={d.status} showContact={props.canAct} />

      {props.canAct && decidable && (
        <section class="card reg-actions" data-testid="reg-actions">
          <h2>{t('reg.decide')}</h2>
          <div class="reg-action">
            <button
              class="btn btn-ok"
              data-testid="approve"
              disabled={busy !== null}
              onClick={() => void act('approve')}
            >
              {t('reg.approve')}
            </button>
            <span class="muted small">{t('reg.approveHelp')}</span>
            <ErrorBox error={errors.approve} />
          </div>
          <form
            class="reg-action"
            onSubmit={(e) => {
              e.preventDefault();
              void act('ask');
            }}
          >
            <label class="field-label" for="reg-question">
              {t('reg.ask')}
            </label>
            <textarea
              id="reg-question"
              data-testid="ask-text"
              rows={3}
              maxLength={2000}
              class={fieldError('ask', 'question') ? 'is-invalid' : ''}
              aria-invalid={fieldError('ask', 'question')}
              placeholder={t('reg.askPlaceholder')}
              value={question}
              onInput={(e) => setQuestion((e.target as HTMLTextAreaElement).value)}
            />
            <ErrorBox error={errors.ask} fields />
            <div class="reg-action-row">
              <span class="muted small">{t('reg.askHelp', { lang: langText(d.lang) })}</span>
              <button class="btn btn-primary" type="submit" data-testid="ask-send" disabled={busy !== null}>
                {t('reg.askSend')}
              </button>
            </div>
          </form>
          <form
            class="reg-action"
            onSubmit={(e) => {
              e.preventDefault();
              void act('reject');
            }}
          >
            <label class="field-label" for="reg-reason">
              {t('reg.rejectReason')}
            </label>
            <textarea
              id="reg-reason"
              data-testid="reject-text"
              rows={2}
              maxLength={2000}
              class={fieldError('reject', 'reason') ? 'is-invalid' : ''}
              aria-invalid={fieldError('reject', 'reason')}
              placeholder={t('reg.rejectPlaceholder')}
              value={reason}
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
            />
            <ErrorBox error={errors.reject} fields />
            <div class="reg-action-row">
              <span class="muted small">{t('reg.rejectHelp', { lang: langText(d.lang) })}</span>
              <button class="btn btn-danger" type="submit" data-testid="reject-send" disabled={busy !== null}>
                {t('reg.reject')}
              </button>
            </div>
          </form>
        </section>
      )}
      {!props.canAct && decidable && (
        <p class="hint reg-readonly" data-testid="reg-readonly">
          {t('reg.readOnly')}
        </p>
      )}

      <Transcript entries={d.transcript} lang={d.lang} hide={props.canAct ? [] : privateParts(d.profile)} />
    </div>
  );
}

function Duplicates({ items, ui }: { items: Duplicate[]; ui: UiLang }) {
  if (items.length === 0) {
    return (
      <p class="muted small reg-no-duplicates" data-testid="duplicates">
        {t('reg.noDuplicates')}
      </p>
    );
  }
  return (
    <section class="card reg-duplicates" data-testid="duplicates">
      <h2>{t('reg.duplicates', { n: items.length })}</h2>
      <p class="muted small">{t('reg.duplicatesHelp')}</p>
      <ul>
        {items.map((dup) => (
          <li key={dup.externalId} data-id={dup.externalId}>
            <a href={`/console/profiles/${encodeURIComponent(dup.externalId)}`}>
              {nameIn(dup.names, ui, dup.externalId)}
            </a>{' '}
            <span class="mono muted">{dup.externalId}</span> <StatusBadge status={dup.status} />
            <div class="small">
              {t('reg.matchedOn')}:{' '}
              {dup.matchedOn.map((m) => (
                <Badge key={m} tone="warn">
                  {t(`reg.match.${m}`)}
                </Badge>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The profile the registration publishes, field by field, in the firm's language; the contact marked private. */
function ProfileView({
  profile,
  lang,
  status,
  showContact,
}: {
  profile: ProfileDto;
  lang: Lang;
  status: Status;
  /** As on a profile: contacts are for curators and admins only. */
  showContact: boolean;
}) {
  const one = <T,>(v: Partial<Record<Lang, T>> | undefined): T | undefined =>
    v?.[lang] ?? Object.values(v ?? {}).find((x) => x !== undefined);
  const none = <span class="muted">{t('reg.notGiven')}</span>;
  const list = (items: string[] | undefined) =>
    items?.length ? (
      <ul lang={lang}>
        {items.map((x, i) => (
          <li key={i}>{x}</li>
        ))}
      </ul>
    ) : (
      none
    );
  const contact = profile.contact;
  const website = profile.website && /^https?:\/\//i.test(profile.website) ? profile.website : undefined;
  return (
    <section class="card reg-profile" data-testid="profile">
      <h2>
        {status === 'approved'
          ? t('reg.profileApproved')
          : status === 'rejected'
            ? t('reg.profileRejected')
            : t('reg.profile')}
      </h2>
      <p class="muted small">
        {t(status === 'submitted' || status === 'question' ? 'reg.profileHelp' : 'reg.profileAsWritten', {
          lang: langText(lang),
        })}
      </p>
      <dl class="reg-fields">
        <dt>{t('field.names')}</dt>
        <dd lang={lang} class="primary-name">
          {one(profile.names) ?? none}
        </dd>
        <dt>{t('field.country')}</dt>
        <dd>{countryText(profile.country)}</dd>
        <dt>{t('field.summary')}</dt>
        <dd lang={lang} class="conv-text">
          {one(profile.summary) ?? none}
        </dd>
        <dt>{t('field.offerings')}</dt>
        <dd>{list(one(profile.offerings))}</dd>
        <dt>{t('field.seeking')}</dt>
        <dd>{list(one(profile.seeking))}</dd>
        <dt>{t('field.partnershipTypes')}</dt>
        <dd>
          {profile.partnershipTypes?.length ? (
            <span class="chips">
              {profile.partnershipTypes.map((p) => (
                <Badge key={p} tone="info">
                  {t(`pt.${p}` as MessageKey)}
                </Badge>
              ))}
            </span>
          ) : (
            none
          )}
        </dd>
        <dt>{t('field.location')}</dt>
        <dd lang={lang}>{one(profile.location) ?? none}</dd>
        <dt>{t('field.employees')}</dt>
        <dd>{profile.employees !== undefined ? profile.employees.toLocaleString() : none}</dd>
        <dt>{t('field.website')}</dt>
        <dd class="reg-url">
          {website ? (
            <a href={website} target="_blank" rel="noopener noreferrer nofollow">
              {website}
            </a>
          ) : (
            none
          )}
        </dd>
        <dt>{t('field.languages')}</dt>
        <dd>{profile.languages?.length ? profile.languages.map(langText).join(', ') : none}</dd>
      </dl>
      <div class="reg-contact private" data-testid="contact">
        <div class="card-label">
          {t('reg.contact')} <Badge tone="warn">{t('reg.private')}</Badge>
        </div>
        <p class="muted small">{t('field.contact.help')}</p>
        {!showContact ? (
          <p class="muted" data-testid="contact-hidden">
            {t('reg.contactHidden')}
          </p>
        ) : contact && (contact.person || contact.email || contact.phone) ? (
          <dl class="reg-fields">
            {contact.person && (
              <>
                <dt>{t('contact.person')}</dt>
                <dd lang={lang}>{contact.person}</dd>
              </>
            )}
            {contact.email && (
              <>
                <dt>{t('email')}</dt>
                <dd class="reg-url">{contact.email}</dd>
              </>
            )}
            {contact.phone && (
              <>
                <dt>{t('contact.phone')}</dt>
                <dd>{contact.phone}</dd>
              </>
            )}
          </dl>
        ) : (
          <p>{none}</p>
        )}
      </div>
    </section>
  );
}

/** The contact's words, which a viewer does not see in the interview either. */
function privateParts(profile: ProfileDto): string[] {
  const c = profile.contact ?? {};
  return [c.email, c.phone, c.person].filter((x): x is string => !!x);
}

/**
 * The interview as it happened: who said what, when, at which question. Where `hide` is given (a viewer), the
 * firm's contact answer and anything quoting the contact are withheld.
 */
function Transcript({ entries, lang, hide }: { entries: Detail['transcript']; lang: Lang; hide: string[] }) {
  const withheld = (e: Detail['transcript'][number]) =>
    hide.length > 0 && ((e.by === 'firm' && e.step === 'contact') || hide.some((x) => e.text.includes(x)));
  return (
    <section class="card reg-transcript">
      <h2>{t('reg.transcript')}</h2>
      <div class="conv-thread" data-testid="transcript">
        {entries.map((e, i) => (
          <div
            key={i}
            class={`conv-msg from-${e.by === 'firm' ? 'user' : e.by}`}
            data-by={e.by}
            data-step={e.step}
          >
            <div class="conv-meta">
              <strong>{t(`reg.by.${e.by}`)}</strong>
              <span>{formatDate(e.at)}</span>
              {e.step && <Badge tone="muted">{t(`reg.step.${e.step}`)}</Badge>}
            </div>
            {withheld(e) ? (
              <div class="muted">{t('reg.contactHidden')}</div>
            ) : (
              <div class="conv-text" lang={e.by === 'staff' ? undefined : lang}>
                {e.text}
              </div>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
