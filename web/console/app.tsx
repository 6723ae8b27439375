import { useEffect } from 'preact/hooks';
import { LANG_NAMES, type MessageKey, UI_LANGS, type UiLang, t, useLang } from './i18n';
import { linkClick, navigate, useLocation } from './router';
import { type Role, can, changeLanguage, loadSession, signOut, useStaff } from './session';
import { Loading } from './components';
import { SignInPage } from './pages/sign-in';
import { ProfilesPage } from './pages/profiles';
import { ProfileEditorPage } from './pages/profile-editor';
import { ImportPage } from './pages/import';
import { GlossaryPage } from './pages/glossary';
import { MatchPage } from './pages/match';
import { DashboardPage } from './pages/dashboard';
import { AuditPage } from './pages/audit';
import { StaffPage } from './pages/staff';
import { TokensPage } from './pages/tokens';
import { IntroductionsPage } from './pages/introductions';
import { RegistrationsPage } from './pages/registrations';
import { RoomPage, RoomsPage } from './pages/rooms';
import { ConversationPage, ConversationsPage } from './pages/conversations';

const NAV: Array<{ href: string; key: MessageKey; role?: Role; group?: 'admin' }> = [
  { href: '/console/dashboard', key: 'nav.dashboard' },
  { href: '/console/profiles', key: 'nav.profiles' },
  { href: '/console/registrations', key: 'nav.registrations' },
  { href: '/console/import', key: 'nav.import' },
  { href: '/console/glossary', key: 'nav.glossary' },
  { href: '/console/match', key: 'nav.match' },
  { href: '/console/conversations', key: 'nav.conversations' },
  { href: '/console/introductions', key: 'nav.introductions' },
  { href: '/console/rooms', key: 'nav.rooms' },
  { href: '/console/audit', key: 'nav.audit' },
  { href: '/console/staff', key: 'nav.staff', role: 'admin', group: 'admin' },
  { href: '/console/tokens', key: 'nav.tokens', role: 'admin', group: 'admin' },
];

export function App() {
  useLang();
  const staff = useStaff();
  const { path } = useLocation();

  useEffect(() => {
    void loadSession();
  }, []);

  if (path === '/console/sign-in') return <SignInPage />;
  if (staff === undefined) return <Loading />;
  if (staff === null) {
    navigate(`/console/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, true);
    return <Loading />;
  }

  return (
    <div class="layout" onClick={linkClick}>
      <nav class="sidebar" aria-label="Console">
        <a class="brand" href="/console/profiles">
          架け橋 <span>Kakehashi</span>
        </a>
        <ul>
          {NAV.filter((n) => !n.role || can(staff, n.role)).map((n, i, all) => (
            <li key={n.href}>
              {n.group === 'admin' && all[i - 1]?.group !== 'admin' && (
                <div class="nav-group">{t('nav.admin')}</div>
              )}
              <a
                href={n.href}
                class={path.startsWith(n.href) ? 'active' : ''}
                aria-current={path.startsWith(n.href) ? 'page' : undefined}
              >
                {t(n.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="main">
        <div class="topbar">
          <span class="who" data-testid="who">
            {staff.displayName} · <span class="role">{t(`role.${staff.role}`)}</span>
          </span>
          <label class="lang-switch">
            <span class="sr-only">{t('language')}</span>
            <select
              aria-label={t('language')}
              data-testid="ui-lang"
              value={useLang()}
              onChange={(e) => changeLanguage((e.target as HTMLSelectElement).value as UiLang)}
            >
              {UI_LANGS.map((l) => (
                <option value={l} key={l}>
                  {LANG_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          <button class="btn btn-ghost" onClick={() => void signOut(false)}>
            {t('signOut')}
          </button>
          <button class="btn btn-ghost" onClick={() => confirm(t('confirm')) && void signOut(true)}>
            {t('signOutEverywhere')}
          </button>
        </div>
        <main class="content">
          <Route path={path} />
        </main>
      </div>
    </div>
  );
}

function Route({ path }: { path: string }) {
  const profile = /^\/console\/profiles\/(.+)$/.exec(path);
  if (profile) {
    const id = decodeURIComponent(profile[1]);
    return id === 'new' ? <ProfileEditorPage key="new" /> : <ProfileEditorPage key={id} externalId={id} />;
  }
  const conversation = /^\/console\/conversations\/([0-9a-f-]{36})$/.exec(path);
  if (conversation) return <ConversationPage key={conversation[1]} id={conversation[1]} />;
  const room = /^\/console\/rooms\/([0-9a-f-]{36})$/.exec(path);
  if (room) return <RoomPage key={room[1]} id={room[1]} />;
  switch (path.replace(/\/+$/, '')) {
    case '/console/dashboard':
      return <DashboardPage />;
    case '/console/import':
      return <ImportPage />;
    case '/console/glossary':
      return <GlossaryPage />;
    case '/console/match':
      return <MatchPage />;
    case '/console/conversations':
      return <ConversationsPage />;
    case '/console/introductions':
      return <IntroductionsPage />;
    case '/console/registrations':
      return <RegistrationsPage />;
    case '/console/rooms':
      return <RoomsPage />;
    case '/console/audit':
      return <AuditPage />;
    case '/console/staff':
      return <StaffPage />;
    case '/console/tokens':
      return <TokensPage />;
    default:
      return <ProfilesPage />;
  }
}
