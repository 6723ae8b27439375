/*
 * Kakehashi web chat widget. One tag adds a chat bubble to any page:
 *   <script src="https://<kakehashi-host>/widget.js" data-lang="ja" async></script>
 * Optional attributes: data-lang (ja | th | en; see `currentLang` for the order), data-identity (JSON
 * from the host site's server: { company, user?, expires, signature }, see docs), data-open="true".
 * Plain TypeScript and socket.io-client, rendered inside a shadow root; no framework.
 */
import { io, type Socket } from 'socket.io-client';
import { STRINGS, type WidgetLang, pickLang } from './i18n';
import { WIDGET_CSS } from './styles';

interface Action {
  label: string;
  postback?: string;
  displayText?: string;
  url?: string;
}
interface Card {
  externalId: string;
  title: string;
  subtitle?: string;
  text: string;
  country: 'JP' | 'TH';
  buttons: Action[];
  /** A firm's own draft (registration review), not a suggestion. */
  preview?: boolean;
}
interface BotMessage {
  id: string | null;
  texts: string[];
  cards: Card[];
  quickReplies: Action[];
  replyTo?: string;
  /** The language the reply is written in: the visitor's, as the bot read it. */
  lang?: WidgetLang;
}
/** A message relayed in a deal room, in the reader's language, with the original when it was translated. */
interface RoomMessage {
  id: string;
  messageId: string;
  room: { id: string; name: string };
  kind: 'text' | 'image' | 'file' | 'sticker' | 'notice';
  label: string;
  text: string;
  original?: { text: string; lang: string };
  note?: string;
  attachment?: { url?: string; name?: string; contentType?: string; media?: string; failed?: boolean };
  quickReplies: Action[];
}
type Item =
  | { kind: 'user'; text: string; clientMessageId: string }
  | { kind: 'bot'; message: BotMessage }
  | { kind: 'room'; message: RoomMessage; showOriginal?: boolean }
  | { kind: 'stream'; replyTo?: string; text: string }
  | { kind: 'err'; text: string };
interface Stored {
  token?: string;
  expiresAt?: string;
  lastSeenId?: string;
  /** Resume point of deal-room messages (delivery ids increase per visitor). */
  lastRelayId?: string;
  /** The language the visitor picked in the selector. */
  lang?: WidgetLang;
  /** The language the visitor writes in, as the bot's replies carry it. */
  writtenLang?: WidgetLang;
  items: Item[];
}
interface Ack {
  ok: boolean;
  error?: string;
  message?: string;
}

const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
const server = script ? new URL(script.src, location.href).origin : location.origin;
const storeKey = `kakehashi:widget:v1:${server}`;
const MAX_ITEMS = 60;

function load(): Stored {
  try {
    const raw = localStorage.getItem(storeKey);
    if (raw) return JSON.parse(raw) as Stored;
  } catch {
    // Private mode or corrupt entry: start fresh.
  }
  return { items: [] };
}
const stored = load();
function save(): void {
  stored.items = stored.items.filter((i) => i.kind !== 'stream').slice(-MAX_ITEMS);
  try {
    localStorage.setItem(storeKey, JSON.stringify(stored));
  } catch {
    // Storage full or unavailable: the chat still works for this page view.
  }
}

/**
 * The widget's language: the visitor's own choice in the selector; else the embed's data-lang (the host site's
 * decision); else the language the visitor writes in; else the browser's languages; else the page's.
 */
function currentLang(): WidgetLang {
  return pickLang(
    stored.lang,
    script?.dataset.lang,
    stored.writtenLang,
    ...(navigator.languages ?? []),
    navigator.language,
    document.documentElement.lang,
  );
}
let lang: WidgetLang = currentLang();
const t = () => STRINGS[lang];

// ---- DOM ------------------------------------------------------------------------------------------------------

const host = document.createElement('div');
host.setAttribute('data-kakehashi', '');
const root = host.attachShadow({ mode: 'open' });
const style = document.createElement('style');
style.textContent = WIDGET_CSS;
root.appendChild(style);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const wrap = el('div', 'kk');
const bubble = el('button', 'bubble');
bubble.type = 'button';
bubble.setAttribute('aria-expanded', 'false');
bubble.setAttribute('aria-controls', 'kk-panel');
bubble.innerHTML =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
const panel = el('div', 'panel');
panel.id = 'kk-panel';
panel.hidden = true;
panel.setAttribute('role', 'dialog');
const head = el('div', 'head');
const titles = el('div', 't');
const title = el('strong');
const subtitle = el('small');
titles.append(title, subtitle);
const langSelect = el('select');
for (const [value, label] of [
  ['ja', '日本語'],
  ['th', 'ไทย'],
  ['en', 'English'],
] as const) {
  const o = el('option', undefined, label);
  o.value = value;
  langSelect.appendChild(o);
}
const closeButton = el('button', 'x', '×');
closeButton.type = 'button';
head.append(titles, langSelect, closeButton);
const status = el('div', 'status');
status.hidden = true;
status.setAttribute('role', 'status');
const log = el('div', 'log');
log.setAttribute('role', 'log');
log.setAttribute('aria-live', 'polite');
const typing = el('div', 'typing');
typing.hidden = true;
const quick = el('div', 'quick');
const compose = el('form', 'compose');
const input = el('textarea');
input.rows = 1;
input.maxLength = 2000;
const sendButton = el('button', undefined);
sendButton.type = 'submit';
// Files go into a deal room only: the paper clip shows while the visitor is in one.
const attachButton = el('button', 'attach');
attachButton.type = 'button';
attachButton.innerHTML =
  '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"/></svg>';
attachButton.hidden = true;
const fileInput = el('input');
fileInput.type = 'file';
fileInput.hidden = true;
compose.append(attachButton, fileInput, input, sendButton);
panel.append(head, status, log, quick, compose);
wrap.append(panel, bubble);
root.appendChild(wrap);

function applyStrings(): void {
  const s = t();
  title.textContent = s.title;
  subtitle.textContent = s.subtitle;
  bubble.setAttribute('aria-label', panel.hidden ? s.open : s.close);
  closeButton.setAttribute('aria-label', s.close);
  panel.setAttribute('aria-label', s.title);
  langSelect.setAttribute('aria-label', s.language);
  langSelect.value = lang;
  input.placeholder = s.placeholder;
  input.setAttribute('aria-label', s.placeholder);
  sendButton.textContent = s.send;
  typing.textContent = s.typing;
  attachButton.setAttribute('aria-label', s.attach);
  attachButton.title = s.attach;
}

// ---- rendering ----------------------------------------------------------------------------------------------

function actionButton(a: Action, cls: string): HTMLElement {
  if (a.url) {
    const link = el('a', cls, a.label);
    link.href = a.url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }
  const b = el('button', cls, a.label);
  b.type = 'button';
  b.addEventListener('click', () => {
    if (a.postback) sendPostback(a.postback, a.displayText ?? a.label);
    // The clicked button is re-rendered away: keep keyboard focus in the chat.
    input.focus();
  });
  return b;
}

/** A relayed message: who wrote it, the text in the reader's language, and a toggle to the original. */
function renderRoomItem(item: Extract<Item, { kind: 'room' }>): HTMLElement[] {
  const m = item.message;
  if (m.kind === 'notice') return [el('div', 'msg notice', m.text)];
  const box = el('div', 'msg room');
  box.setAttribute('data-room', m.room.id);
  if (m.label) box.append(el('div', 'from', m.label));
  const showing = item.showOriginal && m.original;
  const body = el('div', 'body', showing ? m.original!.text : m.text);
  if (showing) body.lang = m.original!.lang;
  box.append(body);
  if (m.note) box.append(el('div', 'note', m.note));
  const a = m.attachment;
  if (a?.url) {
    const href = `${server}${a.url}`;
    if (a.media === 'image') {
      const img = el('img');
      img.src = href;
      img.alt = a.name ?? m.text;
      img.loading = 'lazy';
      const link = el('a');
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.append(img);
      box.append(link);
    } else {
      const link = el('a', 'file', a.name ?? t().download);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      box.append(link);
    }
  }
  if (m.original) {
    const toggle = el('button', 'orig', showing ? t().showTranslation : t().showOriginal);
    toggle.type = 'button';
    toggle.setAttribute('aria-pressed', String(!!showing));
    toggle.addEventListener('click', () => {
      item.showOriginal = !item.showOriginal;
      save();
      render();
    });
    box.append(toggle);
  }
  return [box];
}

function renderItem(item: Item): HTMLElement[] {
  if (item.kind === 'user') return [el('div', 'msg user', item.text)];
  if (item.kind === 'room') return renderRoomItem(item);
  if (item.kind === 'err') return [el('div', 'msg err', item.text)];
  if (item.kind === 'stream') return [el('div', 'msg bot', item.text)];
  const out: HTMLElement[] = item.message.texts.filter(Boolean).map((text) => el('div', 'msg bot', text));
  if (item.message.cards.length) {
    const list = el('div', 'cards');
    list.setAttribute('role', 'list');
    list.setAttribute('aria-label', item.message.cards.every((c) => c.preview) ? t().preview : t().cards);
    for (const c of item.message.cards) {
      const card = el('div', 'card');
      card.setAttribute('role', 'listitem');
      card.setAttribute('data-company', c.externalId);
      card.setAttribute('data-country', c.country);
      card.append(el('span', 'flag', t().country[c.country]), el('h3', undefined, c.title));
      if (c.subtitle) card.append(el('div', 'sub', c.subtitle));
      card.append(el('p', undefined, c.text));
      const btns = el('div', 'btns');
      c.buttons.forEach((b, i) => btns.append(actionButton(b, i === 0 ? 'secondary' : 'primary')));
      card.append(btns);
      list.append(card);
    }
    out.push(list);
  }
  return out;
}

function render(): void {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.replaceChildren(...stored.items.flatMap(renderItem), typing);
  const lastBot = [...stored.items]
    .reverse()
    .find(
      (i) =>
        i.kind === 'bot' || i.kind === 'user' || (i.kind === 'room' && i.message.quickReplies.length > 0),
    );
  quick.replaceChildren(
    ...(lastBot?.kind === 'bot' || lastBot?.kind === 'room'
      ? lastBot.message.quickReplies.map((a) => actionButton(a, ''))
      : []),
  );
  if (atBottom || stored.items.length > 0) {
    log.scrollTop = log.scrollHeight;
    requestAnimationFrame(() => (log.scrollTop = log.scrollHeight));
  }
}

function setStatus(text: string | undefined): void {
  status.hidden = !text;
  status.textContent = text ?? '';
}

// ---- session and socket -------------------------------------------------------------------------------------

let socket: Socket | undefined;
const unacked = new Map<string, { event: string; payload: unknown }>();

async function ensureToken(): Promise<string> {
  const fresh = stored.token && stored.expiresAt && Date.parse(stored.expiresAt) - Date.now() > 60_000;
  if (fresh && stored.token) return stored.token;
  let identity: unknown;
  try {
    identity = script?.dataset.identity ? JSON.parse(script.dataset.identity) : undefined;
  } catch {
    identity = undefined;
  }
  const res = await fetch(`${server}/api/chat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lang, ...(identity ? { identity } : {}) }),
  });
  if (!res.ok) throw new Error(`session ${res.status}`);
  const session = (await res.json()) as { token: string; expiresAt: string };
  stored.token = session.token;
  stored.expiresAt = session.expiresAt;
  save();
  return session.token;
}

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

async function connect(): Promise<void> {
  if (socket) return;
  setStatus(t().connecting);
  try {
    await ensureToken();
  } catch {
    setStatus(t().offline);
    setTimeout(() => void connect(), 5000);
    return;
  }
  const s = io(`${server}/chat`, {
    auth: (cb) =>
      cb({
        token: stored.token,
        ...(stored.lastSeenId ? { lastSeenId: stored.lastSeenId } : {}),
        ...(stored.lastRelayId ? { lastRelayId: stored.lastRelayId } : {}),
      }),
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 10_000,
  });
  socket = s;
  s.on('connect', () => {
    setStatus(undefined);
    if (stored.items.length === 0) s.emit('hello');
    for (const [id, pending] of unacked) emit(pending.event, pending.payload, id);
  });
  s.on('disconnect', () => setStatus(t().reconnecting));
  s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code;
    if (code && code.startsWith('token-')) {
      stored.token = undefined;
      save();
    }
    setStatus(t().reconnecting);
    // Rejected by the server's middleware: socket.io does not retry on its own.
    if (!s.active) {
      setTimeout(() => {
        void ensureToken()
          .then(() => s.connect())
          .catch(() => setStatus(t().offline));
      }, 2000);
    }
  });
  s.on('bot_typing', (p: { typing: boolean }) => {
    typing.hidden = !p.typing;
    if (p.typing) log.scrollTop = log.scrollHeight;
  });
  s.on('bot_delta', (p: { replyTo?: string; text: string }) => {
    const last = stored.items[stored.items.length - 1];
    if (last?.kind === 'stream' && last.replyTo === p.replyTo) last.text += p.text;
    else stored.items.push({ kind: 'stream', replyTo: p.replyTo, text: p.text });
    render();
  });
  s.on('bot_message', (m: BotMessage) => {
    typing.hidden = true;
    if (m.id && stored.items.some((i) => i.kind === 'bot' && i.message.id === m.id)) return;
    stored.items = stored.items.filter((i) => i.kind !== 'stream');
    stored.items.push({ kind: 'bot', message: m });
    // A reply is in the language the visitor wrote in: the widget's own labels follow it.
    if (m.replyTo && m.lang && m.lang in STRINGS && m.lang !== stored.writtenLang) {
      stored.writtenLang = m.lang;
      lang = currentLang();
      applyStrings();
    }
    if (m.id && (!stored.lastSeenId || BigInt(m.id) > BigInt(stored.lastSeenId))) stored.lastSeenId = m.id;
    save();
    render();
  });
  s.on('room_message', (m: RoomMessage) => {
    if (stored.items.some((i) => i.kind === 'room' && i.message.id === m.id)) return;
    stored.items.push({ kind: 'room', message: m });
    if (!stored.lastRelayId || BigInt(m.id) > BigInt(stored.lastRelayId)) stored.lastRelayId = m.id;
    attachButton.hidden = false;
    save();
    render();
  });
  s.on('room_state', (state: { rooms: Array<{ id: string; focused: boolean }> }) => {
    attachButton.hidden = !state.rooms.some((r) => r.focused);
  });
  s.on('forgotten', () => {
    const last = stored.items[stored.items.length - 1];
    stored.items = last ? [last] : [];
    stored.lastSeenId = undefined;
    stored.lastRelayId = undefined;
    save();
    render();
  });
  s.on('throttled', () => {
    stored.items.push({ kind: 'err', text: t().tooFast });
    render();
  });
}

function emit(event: string, payload: unknown, id: string): void {
  unacked.set(id, { event, payload });
  if (!socket?.connected) return;
  socket
    .timeout(30_000)
    .emitWithAck(event, payload)
    .then((ack: Ack) => {
      unacked.delete(id);
      if (!ack.ok && ack.error !== 'rate-limited') {
        stored.items.push({ kind: 'err', text: ack.message ?? t().failed });
        render();
      }
    })
    .catch(() => {
      // No ack (connection lost): resent on reconnect, idempotent on the id.
    });
}

function sendText(text: string): void {
  const clean = text.trim();
  if (!clean) return;
  const clientMessageId = newId();
  stored.items.push({ kind: 'user', text: clean, clientMessageId });
  save();
  render();
  emit('user_message', { text: clean, clientMessageId }, clientMessageId);
}

function sendPostback(data: string, shown: string): void {
  const clientMessageId = newId();
  stored.items.push({ kind: 'user', text: shown, clientMessageId });
  save();
  render();
  emit('postback', { data, clientMessageId }, clientMessageId);
}

/** Sends a file into the visitor's deal room (the server relays it; outside a room it says why not). */
async function sendFile(file: File): Promise<void> {
  const clientMessageId = newId();
  stored.items.push({ kind: 'user', text: file.name, clientMessageId });
  save();
  render();
  try {
    const token = await ensureToken();
    const res = await fetch(`${server}/relay/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': file.type || 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
        'x-client-message-id': clientMessageId,
      },
      body: file,
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { detail?: string };
      stored.items.push({ kind: 'err', text: problem.detail ?? t().failed });
      save();
      render();
    }
  } catch {
    stored.items.push({ kind: 'err', text: t().failed });
    render();
  }
}

// ---- behaviour ----------------------------------------------------------------------------------------------

function setOpen(open: boolean): void {
  panel.hidden = !open;
  bubble.setAttribute('aria-expanded', String(open));
  applyStrings();
  if (open) {
    void connect();
    render();
    input.focus();
  } else bubble.focus();
}

bubble.addEventListener('click', () => setOpen(panel.hidden));
attachButton.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  fileInput.value = '';
  if (file) void sendFile(file);
});
closeButton.addEventListener('click', () => setOpen(false));
root.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Escape' && !panel.hidden) setOpen(false);
});
compose.addEventListener('submit', (e) => {
  e.preventDefault();
  sendText(input.value);
  input.value = '';
  input.style.height = '';
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    compose.requestSubmit();
  }
});
input.addEventListener('input', () => {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
});
langSelect.addEventListener('change', () => {
  stored.lang = pickLang(langSelect.value);
  lang = currentLang();
  save();
  applyStrings();
  sendPostback(`action=lang&lang=${lang}`, langSelect.selectedOptions[0]?.textContent ?? lang);
});

applyStrings();
attachButton.hidden = !stored.items.some((i) => i.kind === 'room');
render();
document.body.appendChild(host);
if (script?.dataset.open === 'true') setOpen(true);

(window as unknown as { Kakehashi?: unknown }).Kakehashi = {
  open: () => setOpen(true),
  close: () => setOpen(false),
};
