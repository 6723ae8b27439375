import { useEffect, useState } from 'preact/hooks';
import { api, onSessionLost, setCsrfToken } from './api';
import { type UiLang, getLang, hasStoredLang, setLang } from './i18n';
import { navigate } from './router';

export type Role = 'admin' | 'curator' | 'viewer';
export interface Staff {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  uiLang: UiLang;
}
interface SessionView {
  staff: Staff;
  csrfToken: string;
  expiresAt: string;
}

let staff: Staff | null | undefined;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function adopt(view: SessionView): void {
  setCsrfToken(view.csrfToken);
  staff = view.staff;
  // This browser's choice wins; a browser that never chose takes the account's language.
  if (!hasStoredLang() && view.staff.uiLang !== getLang()) setLang(view.staff.uiLang);
  emit();
}

/** Asks the server who is signed in (the HttpOnly cookie is invisible to scripts). */
export async function loadSession(): Promise<Staff | null> {
  try {
    const view = (await api<SessionView | { staff: null }>('GET', '/api/console/session/status')).data;
    if (view.staff) adopt(view);
    else {
      staff = null;
      emit();
    }
  } catch {
    staff = null;
    emit();
  }
  return staff ?? null;
}

export async function signIn(email: string, password: string): Promise<void> {
  adopt((await api<SessionView>('POST', '/api/console/session', { body: { email, password } })).data);
}

export async function signOut(everywhere: boolean): Promise<void> {
  const request = everywhere
    ? api('POST', '/api/console/session/everywhere')
    : api('DELETE', '/api/console/session');
  await request.catch(() => undefined);
  staff = null;
  emit();
  navigate('/console/sign-in', true);
}

/** Changes the UI language now and remembers it for this account too. */
export function changeLanguage(lang: UiLang): void {
  setLang(lang);
  if (staff)
    void api('PUT', '/api/console/session/preferences', { body: { uiLang: lang } }).catch(() => undefined);
}

onSessionLost(() => {
  staff = null;
  emit();
  navigate(`/console/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, true);
});

export function useStaff(): Staff | null | undefined {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return staff;
}

const RANK: Record<Role, number> = { viewer: 1, curator: 2, admin: 3 };
export const can = (s: Staff | null | undefined, role: Role): boolean => !!s && RANK[s.role] >= RANK[role];
