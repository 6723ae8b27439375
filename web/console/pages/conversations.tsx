import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { Badge, ErrorBox, PageHeader, Pager, useLoad } from '../components';
import { type MessageKey, type UiLang, formatDate, t, useLang } from '../i18n';
import { navigate, useLocation } from '../router';
import { can, useStaff } from '../session';

type Lang = 'ja' | 'th' | 'en';
const LANGS: Lang[] = ['ja', 'th', 'en'];

interface Summary {
  id: string;
  channel: 'line' | 'web';
  isGroup: boolean;
  lang: Lang | null;
  mode: 'bot' | 'staff';
  needsStaffSince: string | null;
  staffTakenBy: string | null;
  staffTakenAt: string | null;
  linkedCompanyExternalId: string | null;
  messageCount: number;
  lastMessageAt: string;
}

interface ListPage {
  items: Summary[];
  total: number;
  waiting: number;
  page: number;
  limit: number;
  translationAvailable: boolean;
}

interface Message {
  id: string;
  from: 'user' | 'bot' | 'staff';
  lang: Lang | null;
  text: string | null;
  postback?: string;
  cards?: Array<{ externalId: string; title: string }>;
  original?: { text: string; lang: Lang };
  untranslated?: boolean;
  staff?: string;
  notice?: 'joined' | 'handed-back';
  status: 'active' | 'unsent' | 'edited';
  createdAt: string;
}

interface ThreadView {
  conversation: Summary;
  messages: Message[];
  translationAvailable: boolean;
}

/** Lists refresh by polling while the tab is visible: cheap (one indexed query), and no open connection per tab. */
const LIST_POLL_MS = 5000;
const THREAD_POLL_MS = 2500;

function usePolling(tick: () => void, ms: number, deps: unknown[]): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') tick();
    }, ms);
    return () => clearInterval(timer);
  }, deps);
}

const FILTERS = ['channel', 'lang', 'queue', 'active', 'page'] as const;

/** The live list: filters in the URL; threads waiting for a human highlighted, the waiting count on top. */
export function ConversationsPage() {
  useLang();
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const set = (changes: Partial<typeof filters>) => {
    const next = new URLSearchParams();
    const merged = { ...filters, page: '', ...changes };
    for (const k of FILTERS) if (merged[k]) next.set(k, merged[k]);
    navigate(`/console/conversations${next.toString() ? `?${next}` : ''}`, true);
  };
  const key = FILTERS.map((k) => filters[k]).join('|');
  const list = useLoad(async () => {
    const params = new URLSearchParams();
    for (const k of FILTERS) if (filters[k]) params.set(k, filters[k]);
    return (await api<ListPage>('GET', `/api/console/conversations?${params}`)).data;
  }, [key]);
  usePolling(list.reload, LIST_POLL_MS, [key]);

  const select = (name: keyof typeof filters, options: Array<[string, string]>) => (
    <select
      aria-label={name}
      data-filter={name}
      value={filters[name]}
      onChange={(e) => set({ [name]: (e.target as HTMLSelectElement).value })}
    >
      {options.map(([v, label]) => (
        <option value={v} key={v}>
          {label}
        </option>
      ))}
    </select>
  );
  const data = list.data;
  const totalPages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;

  return (
    <>
      <PageHeader
        title={t('nav.conversations')}
        sub={data ? `${t('conv.count', { n: data.total.toLocaleString() })} · ${t('conv.live')}` : undefined}
      >
        {data && data.waiting > 0 && (
          <button class="btn btn-ok" data-testid="waiting" onClick={() => set({ queue: 'needs-staff' })}>
            {t('conv.waiting', { n: data.waiting })}
          </button>
        )}
      </PageHeader>
      <div class="filters">
        {select('queue', [
          ['', `${t('conv.queue')}: ${t('all')}`],
          ['needs-staff', t('conv.queue.needs-staff')],
          ['staff', t('conv.queue.staff')],
        ])}
        {select('channel', [
          ['', `${t('conv.channel')}: ${t('all')}`],
          ['line', t('conv.channel.line')],
          ['web', t('conv.channel.web')],
        ])}
        {select('lang', [
          ['', `${t('language')}: ${t('all')}`],
          ...LANGS.map((l): [string, string] => [l, t(`lang.${l}`)]),
        ])}
        {select('active', [
          ['', `${t('conv.active')}: ${t('any')}`],
          ['1h', t('conv.active.1h')],
          ['24h', t('conv.active.24h')],
          ['7d', t('conv.active.7d')],
          ['30d', t('conv.active.30d')],
        ])}
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      <div class="table-scroll">
        <table class="grid conv-list" data-testid="conversations-table">
          <thead>
            <tr>
              <th>{t('conv.conversation')}</th>
              <th>{t('conv.channel')}</th>
              <th>{t('language')}</th>
              <th>{t('conv.state')}</th>
              <th>{t('conv.messages')}</th>
              <th>{t('conv.company')}</th>
              <th>{t('conv.lastActivity')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((c) => (
              <tr
                key={c.id}
                data-id={c.id}
                class={c.needsStaffSince && c.mode === 'bot' ? 'needs-staff' : ''}
                onClick={() => navigate(`/console/conversations/${c.id}`)}
              >
                <td class="mono nowrap">
                  <a href={`/console/conversations/${c.id}`}>{c.id.slice(0, 8)}</a>
                  {c.isGroup && <span class="muted small"> · {t('conv.group')}</span>}
                </td>
                <td>{t(`conv.channel.${c.channel}`)}</td>
                <td>{c.lang ? t(`lang.${c.lang}`) : '—'}</td>
                <td>
                  <StateBadges c={c} />
                </td>
                <td>{c.messageCount}</td>
                <td class="mono">{c.linkedCompanyExternalId ?? '—'}</td>
                <td class="muted nowrap">{formatDate(c.lastMessageAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.items.length === 0 && <p class="empty">{t('noResults')}</p>}
      {data && totalPages > 1 && (
        <Pager page={data.page} totalPages={totalPages} onPage={(p) => set({ page: String(p) })} />
      )}
    </>
  );
}

function StateBadges({ c }: { c: Summary }) {
  return (
    <span class="flags">
      {c.mode === 'staff' ? (
        <Badge tone="info">{t('conv.mode.staff', { who: c.staffTakenBy ?? '—' })}</Badge>
      ) : (
        <Badge tone="muted">{t('conv.mode.bot')}</Badge>
      )}
      {c.needsStaffSince && c.mode === 'bot' && (
        <Badge tone="bad">{t('conv.needsStaffSince', { when: formatDate(c.needsStaffSince) })}</Badge>
      )}
    </span>
  );
}

/**
 * One thread: the messages with, beside each, the other language (the coordinator's original of a translated
 * staff reply, or a translation made on demand for the reader); take over, reply, hand back.
 */
export function ConversationPage({ id }: { id: string }) {
  const ui = useLang();
  const staff = useStaff();
  const mayAct = can(staff, 'curator');
  const [view, setView] = useState<ThreadView>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [translations, setTranslations] = useState<Record<string, string>>({});
  const [translateError, setTranslateError] = useState<string>();
  const lastId = useRef<string | undefined>(undefined);

  const load = async (incremental: boolean) => {
    try {
      const after = incremental && lastId.current ? `?after=${lastId.current}` : '';
      const next = (await api<ThreadView>('GET', `/api/console/conversations/${id}${after}`)).data;
      setError(undefined);
      setView((prev) => {
        const messages = incremental && prev ? [...prev.messages, ...next.messages] : next.messages;
        lastId.current = messages[messages.length - 1]?.id ?? lastId.current;
        return { ...next, messages };
      });
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    lastId.current = undefined;
    void load(false);
  }, [id]);
  usePolling(() => void load(true), THREAD_POLL_MS, [id]);

  const translate = async (m: Message) => {
    try {
      const res = await api<{ translation: string }>(
        'POST',
        `/api/console/conversations/${id}/messages/${m.id}/translation`,
        { body: { to: ui } },
      );
      setTranslations((all) => ({ ...all, [`${m.id}:${ui}`]: res.data.translation }));
    } catch (err) {
      setTranslateError(problemText(err));
    }
  };
  const foreign = (view?.messages ?? []).filter(
    (m) => m.text && m.lang && m.lang !== ui && !m.original && !translations[`${m.id}:${ui}`],
  );
  const translateAll = async () => {
    for (const m of foreign) await translate(m);
  };

  const act = async (what: 'take-over' | 'hand-back') => {
    setBusy(true);
    try {
      await api('POST', `/api/console/conversations/${id}/${what}`);
    } catch (err) {
      setError(err);
    }
    lastId.current = undefined;
    await load(false);
    setBusy(false);
  };

  if (!view) {
    return (
      <>
        <PageHeader title={t('conv.conversation')} />
        <ErrorBox error={error} onRetry={() => void load(false)} />
      </>
    );
  }
  const c = view.conversation;
  return (
    <>
      <PageHeader
        title={`${t('conv.conversation')} ${c.id.slice(0, 8)}`}
        sub={
          <>
            <a href="/console/conversations">← {t('conv.back')}</a> · {t(`conv.channel.${c.channel}`)} ·{' '}
            {t('conv.userLang')}: {c.lang ? t(`lang.${c.lang}`) : t('conv.unknownLang')} · {t('conv.live')}
          </>
        }
      >
        <StateBadges c={c} />
        {mayAct && c.mode === 'bot' && (
          <button
            class="btn btn-primary"
            data-testid="take-over"
            disabled={busy}
            onClick={() => void act('take-over')}
          >
            {t('conv.takeOver')}
          </button>
        )}
        {mayAct && c.mode === 'staff' && (
          <button class="btn" data-testid="hand-back" disabled={busy} onClick={() => void act('hand-back')}>
            {t('conv.handBack')}
          </button>
        )}
      </PageHeader>
      <ErrorBox error={error} />
      {!view.translationAvailable && (
        <div class="alert alert-warn" data-testid="no-llm">
          {t('conv.noLlm')}
        </div>
      )}
      {translateError && (
        <div class="alert alert-bad" role="alert">
          {t('conv.translateFailed', { detail: translateError })}
        </div>
      )}
      {view.translationAvailable && foreign.length > 0 && (
        <p>
          <button class="btn btn-small" data-testid="translate-all" onClick={() => void translateAll()}>
            {t('conv.translateAll', { lang: t(`lang.${ui}`) })}
          </button>
        </p>
      )}
      <div class="conv-thread" data-testid="thread">
        {view.messages.map((m) => (
          <MessageRow
            key={m.id}
            m={m}
            other={translations[`${m.id}:${ui}`]}
            ui={ui}
            canTranslate={view.translationAvailable}
            onTranslate={() => void translate(m)}
          />
        ))}
      </div>
      {!mayAct && <p class="hint">{t('conv.readOnly')}</p>}
      {mayAct && c.mode === 'bot' && <p class="hint">{t('conv.takeOverFirst')}</p>}
      {mayAct && c.mode === 'staff' && (
        <>
          <p class="hint">{t('conv.takenOverHint')}</p>
          <Composer
            conversationId={id}
            userLang={c.lang}
            ui={ui}
            translationAvailable={view.translationAvailable}
            onSent={() => void load(true)}
          />
        </>
      )}
    </>
  );
}

function MessageRow(props: {
  m: Message;
  other?: string;
  ui: UiLang;
  canTranslate: boolean;
  onTranslate: () => void;
}) {
  const { m } = props;
  const who =
    m.from === 'staff'
      ? t('conv.from.staff', { who: m.staff ?? '—' })
      : t(`conv.from.${m.from}` as MessageKey);
  const body =
    m.status === 'unsent'
      ? t('conv.unsent')
      : m.postback
        ? t('conv.button', { data: m.postback })
        : (m.text ?? '');
  const showTranslate =
    props.canTranslate && !props.other && !m.original && !!m.text && !!m.lang && m.lang !== props.ui;
  return (
    <div class={`conv-msg from-${m.from}`} data-message-id={m.id} data-from={m.from}>
      <div class="conv-meta">
        <strong>{who}</strong> · {formatDate(m.createdAt)}
        {m.lang && <Badge tone="muted">{m.lang.toUpperCase()}</Badge>}
        {m.notice && <span class="muted small"> · {t(`conv.notice.${m.notice}`)}</span>}
        {m.untranslated && (
          <Badge tone="warn" title={t('conv.sentAsWritten')}>
            {t('conv.sentAsWritten')}
          </Badge>
        )}
      </div>
      <div class="conv-sides">
        <div class="conv-text" lang={m.lang ?? undefined}>
          {body}
          {m.cards && m.cards.length > 0 && (
            <div class="muted small">
              {t('conv.cards', { names: m.cards.map((c) => c.title).join(' · ') })}
            </div>
          )}
        </div>
        <div class="conv-text conv-other">
          {m.original ? (
            <>
              <div class="muted small">{t('conv.staffWrote', { lang: t(`lang.${m.original.lang}`) })}</div>
              <div lang={m.original.lang} data-testid="original">
                {m.original.text}
              </div>
            </>
          ) : props.other ? (
            <>
              <div class="muted small">{t('conv.translation')}</div>
              <div lang={props.ui} data-testid="translation">
                {props.other}
              </div>
            </>
          ) : showTranslate ? (
            <button class="link" onClick={props.onTranslate}>
              {t('conv.translate')}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** The language a reply is written in, by its script: Thai letters, kana or kanji, else Latin letters. */
function scriptOf(text: string): Lang | undefined {
  if (/[\u0E00-\u0E7F]/.test(text)) return 'th';
  if (/[\u3040-\u30FF\u4E00-\u9FFF]/.test(text)) return 'ja';
  if (/[A-Za-z]{2}/.test(text)) return 'en';
  return undefined;
}

function Composer(props: {
  conversationId: string;
  userLang: Lang | null;
  ui: UiLang;
  translationAvailable: boolean;
  onSent: () => void;
}) {
  const [text, setText] = useState('');
  // "Written in": what staff pick, else what the text's script says, else the user's language, else the UI's.
  const [chosen, setLangChoice] = useState<Lang | null>(null);
  const lang = chosen ?? scriptOf(text) ?? props.userLang ?? props.ui;
  const [translate, setTranslate] = useState(true);
  const [state, setState] = useState<{ busy?: boolean; note?: string; error?: string; failed?: boolean }>({});
  const target = props.userLang ?? lang;
  const needsTranslation = target !== lang;

  const send = async (asWritten: boolean) => {
    setState({ busy: true });
    try {
      const res = await api<{ untranslated: boolean; to: Lang }>(
        'POST',
        `/api/console/conversations/${props.conversationId}/messages`,
        { body: { text, lang, translate: translate && !asWritten } },
      );
      setText('');
      setState({
        note: res.data.untranslated
          ? t('conv.sentUntranslated', { lang: t(`lang.${res.data.to}`) })
          : undefined,
      });
      props.onSent();
    } catch (err) {
      const llmFailed =
        err instanceof ApiError &&
        (err.status === 502 || err.status === 503) &&
        err.kind.includes('translation');
      setState({ error: problemText(err), failed: llmFailed });
    }
  };

  return (
    <form
      class="card conv-composer"
      data-testid="composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void send(false);
      }}
    >
      <label class="sr-only" for="conv-reply">
        {t('conv.reply')}
      </label>
      <textarea
        id="conv-reply"
        rows={3}
        maxLength={2000}
        placeholder={t('conv.replyPlaceholder')}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      <div class="conv-composer-row">
        <label>
          {t('conv.writtenIn')}{' '}
          <select
            data-testid="reply-lang"
            value={lang}
            onChange={(e) => setLangChoice((e.target as HTMLSelectElement).value as Lang)}
          >
            {LANGS.map((l) => (
              <option value={l} key={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
        {needsTranslation && props.translationAvailable && (
          <label class="check">
            <input
              type="checkbox"
              checked={translate}
              onChange={(e) => setTranslate((e.target as HTMLInputElement).checked)}
            />
            {t('conv.translateFor', { lang: t(`lang.${target}`) })}
          </label>
        )}
        {needsTranslation && !props.translationAvailable && (
          <span class="muted small" data-testid="no-llm-note">
            {t('conv.willSendAsWritten', { lang: t(`lang.${target}`) })}
          </span>
        )}
        <button
          class="btn btn-primary"
          type="submit"
          data-testid="send"
          disabled={state.busy || !text.trim()}
        >
          {t('conv.send')}
        </button>
      </div>
      {state.note && (
        <div class="alert alert-warn" data-testid="sent-note">
          {state.note}
        </div>
      )}
      {state.error && (
        <div class="alert alert-bad" role="alert">
          {state.failed ? t('conv.translateFailed', { detail: state.error }) : state.error}
          {state.failed && (
            <button class="btn btn-small" type="button" onClick={() => void send(true)}>
              {t('conv.sendAsWritten')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}

function problemText(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail ?? err.problem.title ?? err.message;
  return String((err as Error).message ?? err);
}
