import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorBox, PageHeader, Pager, StatusBadge, useLoad } from '../components';
import { formatDate, t, useLang } from '../i18n';
import { type Industry, type Lang, LANGS, type ProfileDto, displayName } from '../profile-form';
import { navigate, useLocation } from '../router';
import { can, useStaff } from '../session';

interface ListPage {
  items: ProfileDto[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

const FILTERS = ['q', 'country', 'status', 'industry', 'pendingReview', 'missingLang', 'page'] as const;

/** The filters live in the URL, so back/forward, reload and shared links keep them. */
export function ProfilesPage() {
  const lang = useLang();
  const staff = useStaff();
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const [q, setQ] = useState(filters.q);

  const set = (changes: Partial<typeof filters>) => {
    const next = new URLSearchParams();
    const merged = { ...filters, page: '', ...changes };
    for (const k of FILTERS) if (merged[k]) next.set(k, merged[k]);
    navigate(`/console/profiles${next.toString() ? `?${next}` : ''}`, true);
  };

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => set({ q }), 250);
    return () => clearTimeout(timer);
  }, [q]);

  const key = FILTERS.map((k) => filters[k]).join('|');
  const list = useLoad(async () => {
    const params = new URLSearchParams({ pageSize: '50' });
    for (const k of FILTERS) if (filters[k]) params.set(k, filters[k]);
    const page = (await api<ListPage>('GET', `/api/companies?${params}`)).data;
    // Curated industry labels are often in one language: the server names them in every language.
    const industries = page.items.map((p) => p.industries?.[0]).filter((i): i is Industry => !!i);
    if (industries.length > 0) {
      const { labels } = (
        await api<{ labels: Industry['label'][] }>('POST', '/api/industries/labels', { body: { industries } })
      ).data;
      industries.forEach((industry, i) => (industry.label = labels[i] ?? industry.label));
    }
    return page;
  }, [key]);

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

  return (
    <>
      <PageHeader
        title={t('nav.profiles')}
        sub={list.data ? t('profilesCount', { n: list.data.total.toLocaleString() }) : undefined}
      >
        {can(staff, 'curator') && (
          <a class="btn btn-primary" href="/console/profiles/new">
            + {t('newProfile')}
          </a>
        )}
      </PageHeader>
      <div class="filters">
        <input
          type="search"
          class="search"
          placeholder={t('searchName')}
          aria-label={t('search')}
          value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
        {select('country', [
          ['', `${t('country')}: ${t('all')}`],
          ['JP', t('country.JP')],
          ['TH', t('country.TH')],
        ])}
        {select('status', [
          ['', `${t('status')}: ${t('all')}`],
          ['draft', t('status.draft')],
          ['published', t('status.published')],
          ['archived', t('status.archived')],
        ])}
        <input
          class="industry"
          placeholder={t('industry')}
          aria-label={t('industry')}
          value={filters.industry}
          onChange={(e) => set({ industry: (e.target as HTMLInputElement).value.trim() })}
        />
        {select('missingLang', [
          ['', `${t('missingLang')}: ${t('any')}`],
          ...LANGS.map((l): [string, string] => [l, t(`lang.${l}`)]),
        ])}
        <label class="check">
          <input
            type="checkbox"
            data-filter="pendingReview"
            checked={filters.pendingReview === 'true'}
            onChange={(e) => set({ pendingReview: (e.target as HTMLInputElement).checked ? 'true' : '' })}
          />
          {t('pendingReview')}
        </label>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      <div class="table-scroll">
        <table class={`grid ${list.loading ? 'is-loading' : ''}`} data-testid="profiles-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t('name')}</th>
              <th>{t('language')}</th>
              <th>{t('country')}</th>
              <th>{t('industry')}</th>
              <th>{t('status')}</th>
              <th>{t('updated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((p) => (
              <tr
                key={p.externalId}
                data-id={p.externalId}
                onClick={() => navigate(`/console/profiles/${encodeURIComponent(p.externalId)}`)}
              >
                <td class="mono nowrap">
                  <a href={`/console/profiles/${encodeURIComponent(p.externalId)}`}>{p.externalId}</a>
                </td>
                <td>
                  <div class="primary-name">{displayName(p.names, lang)}</div>
                  <div class="other-names">
                    {LANGS.filter(
                      (l) => l !== lang && p.names[l] && p.names[l] !== displayName(p.names, lang),
                    )
                      .map((l) => p.names[l])
                      .join(' · ')}
                  </div>
                </td>
                <td class="langs">
                  <LangFlags names={p.names} mt={p.machineTranslated ?? []} />
                </td>
                <td class="nowrap">{t(`country.${p.country}`)}</td>
                <td class="muted">{p.industries?.[0] ? industryLabel(p.industries[0], lang) : '—'}</td>
                <td>
                  <StatusBadge status={p.status ?? 'draft'} />
                </td>
                <td class="muted nowrap">{formatDate(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && list.data.items.length === 0 && <p class="empty">{t('noResults')}</p>}
      {list.data && list.data.totalPages > 1 && (
        <Pager
          page={list.data.page}
          totalPages={list.data.totalPages}
          onPage={(p) => set({ ...filters, page: String(p) })}
        />
      )}
    </>
  );
}

/** ja/th/en chips: green when the name exists, red when missing, amber when machine-translated. */
export function LangFlags({ names, mt }: { names: Partial<Record<Lang, string>>; mt: string[] }) {
  return (
    <span class="flags">
      {LANGS.map((l) =>
        !names[l] ? (
          <Badge tone="bad" key={l} title={t('missing', { lang: t(`lang.${l}`) })}>
            {t('missing', { lang: l.toUpperCase() })}
          </Badge>
        ) : mt.some((p) => p.endsWith(`.${l}`)) ? (
          <Badge tone="warn" key={l} title={t('mtBadge')}>
            {l.toUpperCase()} {t('mt')}
          </Badge>
        ) : (
          <Badge tone="ok" key={l}>
            {l.toUpperCase()}
          </Badge>
        ),
      )}
    </span>
  );
}

/** An industry in the UI language, else any language, else its code. */
function industryLabel(industry: Industry, lang: Lang): string {
  const l = industry.label;
  return l?.[lang] ?? l?.en ?? l?.ja ?? l?.th ?? industry.code ?? industry.scheme;
}
