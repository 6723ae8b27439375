import type { RunningApp } from '../../src/bootstrap/start-app';
import type { StaffRole } from '../../src/console/console.types';
import { StaffAdminService } from '../../src/console/staff-admin.service';

export const STAFF_PASSWORD = 'correct horse battery staple';

/** Makes a staff account directly through the service (as `npm run staff:create` does). */
export async function createStaff(app: RunningApp, email: string, role: StaffRole): Promise<string> {
  const account = await app.app
    .get(StaffAdminService)
    .createStaff({ email, displayName: email.split('@')[0], role, password: STAFF_PASSWORD }, 'test');
  return account.id;
}

export interface ConsoleClient {
  cookie: string;
  csrf: string;
  setCookie: string;
  /** fetch with the session cookie, and the CSRF token unless `csrf: false`. */
  call(path: string, init?: RequestInit & { csrf?: boolean }): Promise<Response>;
}

/** Signs in over HTTP like the console does and returns a client carrying the session. */
export async function signIn(
  app: RunningApp,
  email: string,
  password = STAFF_PASSWORD,
): Promise<ConsoleClient> {
  const res = await fetch(`${app.url}/api/console/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    setCookie,
    call(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('Cookie', cookie);
      if (init.csrf !== false) headers.set('X-CSRF-Token', csrfToken);
      if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
      return fetch(`${app.url}${path}`, { ...init, headers, redirect: 'manual' });
    },
  };
}
