import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { LANG_NAMES, UI_LANGS, t, useLang } from '../i18n';
import { navigate, useLocation } from '../router';
import { changeLanguage, loadSession, signIn } from '../session';

/** Only same-console paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && /^\/console\/[\w\-/.%?=&]*$/.test(next) && !next.startsWith('/console/sign-in')
    ? next
    : '/console/profiles';
}

export function SignInPage() {
  const lang = useLang();
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  // Already signed in (e.g. arriving from a link, where the Strict cookie was held back): go straight in.
  useEffect(() => {
    void loadSession().then((s) => s && navigate(safeNext(query.get('next')), true));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signIn(email, password);
      navigate(safeNext(query.get('next')), true);
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && err.status === 429)
        setError(t('signIn.locked', { s: Number(err.problem.retryAfterSeconds ?? 60) }));
      else if (err instanceof ApiError && err.status === 401) setError(t('signIn.failed'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signin">
      <form class="card signin-card" onSubmit={(e) => void submit(e)}>
        <div class="brand-big">
          架け橋 <span>Kakehashi</span>
        </div>
        <h1>{t('signIn.title')}</h1>
        <label>
          {t('email')}
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        {error && (
          <div class="alert alert-bad" role="alert">
            {error}
          </div>
        )}
        <button class="btn btn-primary" type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <div class="signin-langs">
          {UI_LANGS.map((l) => (
            <button
              type="button"
              class={`link ${l === lang ? 'current' : ''}`}
              key={l}
              onClick={() => changeLanguage(l)}
            >
              {LANG_NAMES[l]}
            </button>
          ))}
        </div>
      </form>
    </div>
  );
}
