import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { Badge, ErrorBox, PageHeader, Placeholder, isMissingApi } from '../components';
import { t, useLang } from '../i18n';
import { displayName } from '../profile-form';

/** One ranked result of POST /api/match (the matching engine's MatchItem). */
interface MatchResult {
  externalId: string;
  name?: string;
  names?: Record<string, string>;
  country?: string;
  score?: number;
  explanation?: string;
  matchedConcepts?: Array<{ id: string; label: string; fields?: string[] }>;
  matchedFields?: string[];
  location?: string;
  industry?: string;
  arms?: Record<string, number>;
  /** The profile's own kinds of business that meet the request, with the words they were read from. */
  matchedBusinesses?: Array<{ code: string; label: string; source: string; terms: string[] }>;
  facets?: { business: boolean; region?: boolean; how?: boolean };
}

/** How the engine read the request: shown so curators can see why results are what they are. */
interface MatchQuery {
  lang: string;
  targetCountry?: string;
  concepts: Array<{ id: string; label: string }>;
  facets?: {
    businesses: Array<{ code: string; label: string }>;
    regions: Array<{ id: string; label: string }>;
    how: Array<{ id: string; label: string }>;
    regionRestricted: boolean;
  };
}

/** A facet of the request and whether a result meets it: ✓ met, ✗ not met. */
function FacetMark({ label, met }: { label: string; met: boolean | undefined }) {
  if (met === undefined) return null;
  return (
    <Badge tone={met ? 'ok' : 'muted'} title={label}>
      {met ? '✓' : '✗'} {label}
    </Badge>
  );
}

export function MatchPage() {
  const lang = useLang();
  const [text, setText] = useState('');
  const [reqLang, setReqLang] = useState('');
  const [country, setCountry] = useState('');
  const [limit, setLimit] = useState('10');
  const [results, setResults] = useState<MatchResult[] | null>(null);
  const [understood, setUnderstood] = useState<MatchQuery | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { text: text.trim(), limit: Number(limit) };
      if (reqLang) body.lang = reqLang;
      if (country) body.seekerCountry = country;
      const res = await api<{ query?: MatchQuery; results: MatchResult[] }>('POST', '/api/match', { body });
      setUnderstood(res.data.query ?? null);
      setResults(res.data.results);
    } catch (err) {
      setResults(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('match.title')} sub={t('match.help')} />
      <form class="card match-form" onSubmit={(e) => void run(e)}>
        <textarea
          rows={2}
          data-testid="match-text"
          placeholder={t('match.placeholder')}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void run(e)}
        />
        <div class="match-options">
          <label>
            {t('match.lang')}{' '}
            <select value={reqLang} onChange={(e) => setReqLang((e.target as HTMLSelectElement).value)}>
              <option value="">{t('auto')}</option>
              <option value="ja">{t('lang.ja')}</option>
              <option value="th">{t('lang.th')}</option>
              <option value="en">{t('lang.en')}</option>
            </select>
          </label>
          <label>
            {t('seekerCountry')}{' '}
            <select value={country} onChange={(e) => setCountry((e.target as HTMLSelectElement).value)}>
              <option value="">{t('auto')}</option>
              <option value="JP">{t('country.JP')}</option>
              <option value="TH">{t('country.TH')}</option>
            </select>
          </label>
          <label>
            {t('limit')}{' '}
            <select
              data-testid="match-limit"
              value={limit}
              onChange={(e) => setLimit((e.target as HTMLSelectElement).value)}
            >
              {['5', '10', '20', '50'].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <button
            class="btn btn-primary"
            type="submit"
            data-testid="match-run"
            disabled={busy || !text.trim()}
          >
            {busy ? t('loading') : t('run')}
          </button>
        </div>
      </form>
      {isMissingApi(error) ? (
        <Placeholder what="POST /api/match" />
      ) : (
        <ErrorBox
          error={
            error instanceof ApiError && error.status === 503
              ? new Error(error.problem.detail ?? error.message)
              : error
          }
        />
      )}
      {understood && results && (
        <div class="understood" data-testid="match-understood">
          <p>
            {t('match.understood')}: {t(`lang.${understood.lang}` as 'lang.ja')}
            {understood.targetCountry ? ` → ${t(`country.${understood.targetCountry}` as 'country.JP')}` : ''}
            {understood.concepts.map((c) => (
              <Badge key={c.id} tone="muted" title={c.id}>
                {c.label}
              </Badge>
            ))}
          </p>
          {understood.facets && (
            <dl class="facets" data-testid="match-facets">
              <dt>{t('match.facet.business')}</dt>
              <dd>
                {understood.facets.businesses.length === 0
                  ? t('match.facet.none')
                  : understood.facets.businesses.map((b) => (
                      <Badge key={b.code} tone="info" title={`TSIC ${b.code}`}>
                        {b.label} <span class="mono small">{b.code}</span>
                      </Badge>
                    ))}
              </dd>
              {understood.facets.regions.length > 0 && (
                <>
                  <dt>{t('match.facet.where')}</dt>
                  <dd>
                    {understood.facets.regions.map((r) => (
                      <Badge key={r.id} tone="info" title={r.id}>
                        {r.label}
                      </Badge>
                    ))}{' '}
                    <span class="muted small">
                      {understood.facets.regionRestricted ? t('match.facet.only') : t('match.facet.first')}
                    </span>
                  </dd>
                </>
              )}
              {understood.facets.how.length > 0 && (
                <>
                  <dt>{t('match.facet.how')}</dt>
                  <dd>
                    {understood.facets.how.map((h) => (
                      <Badge key={h.id} tone="info" title={h.id}>
                        {h.label}
                      </Badge>
                    ))}
                  </dd>
                </>
              )}
            </dl>
          )}
        </div>
      )}
      {results && results.length === 0 && <p class="empty">{t('match.none')}</p>}
      {results && results.length > 0 && (
        <div class="table-scroll">
          <table class="grid" data-testid="match-results">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('name')}</th>
                <th>{t('score')}</th>
                <th>{t('explanation')}</th>
                <th>{t('match.facets')}</th>
                <th>{t('matched')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => {
                const concepts = r.matchedConcepts ?? [];
                const fields = r.matchedFields ?? [];
                return (
                  <tr key={r.externalId} data-id={r.externalId}>
                    <td class="mono">{i + 1}</td>
                    <td>
                      <a href={`/console/profiles/${encodeURIComponent(r.externalId)}`}>
                        {r.name ?? (r.names ? displayName(r.names, lang) : r.externalId)}
                      </a>
                      <div class="muted small">
                        <span class="mono">{r.externalId}</span>
                        {r.country ? ` · ${t(`country.${r.country}` as 'country.JP')}` : ''}
                        {r.industry ? ` · ${r.industry}` : ''}
                        {r.location ? ` · ${r.location}` : ''}
                      </div>
                    </td>
                    <td class="mono">{typeof r.score === 'number' ? r.score.toFixed(3) : '—'}</td>
                    <td>{r.explanation ?? '—'}</td>
                    <td class="facet-marks" data-testid="match-result-facets">
                      <FacetMark
                        label={
                          (r.matchedBusinesses ?? []).map((b) => `${b.label} (${b.code})`).join(', ') ||
                          t('match.facet.business')
                        }
                        met={
                          understood?.facets?.businesses.length ? (r.facets?.business ?? false) : undefined
                        }
                      />
                      <FacetMark label={t('match.facet.where')} met={r.facets?.region} />
                      <FacetMark label={t('match.facet.how')} met={r.facets?.how} />
                    </td>
                    <td>
                      {concepts.map((c) => (
                        <Badge key={c.id} tone="info" title={c.id}>
                          {c.label}
                        </Badge>
                      ))}{' '}
                      <span class="muted small">{fields.join(', ')}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
