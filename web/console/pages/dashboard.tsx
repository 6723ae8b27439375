import { api } from '../api';
import { Bars, ErrorBox, Loading, PageHeader, Placeholder, isMissingApi, useLoad } from '../components';
import { t } from '../i18n';

interface Overview {
  profiles: {
    byCountryStatus: Array<{ country: string; status: string; count: number }>;
    pendingReview: number;
    missingNames: Array<{ country: string; lang: string; count: number }>;
  };
  activity: Array<{ day: string; entityType: string; count: number }>;
  chat: {
    conversations: number;
    requests: number;
    answersWithMatches: number;
    companiesShown: number;
    introductions: Array<{ status: string; count: number }>;
    relayMessages: number;
  };
}

/** GET /api/llm/usage (the LLM layer): calls by UTC day, task and model. */
interface UsageRow {
  day: string;
  task: string;
  model: string;
  calls: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
}
interface Usage {
  configured: boolean;
  items: UsageRow[];
}

export function DashboardPage() {
  const overview = useLoad(async () => (await api<Overview>('GET', '/api/console/overview')).data, []);
  const usage = useLoad(async () => (await api<Usage>('GET', '/api/llm/usage')).data, []);

  if (overview.error) return <ErrorBox error={overview.error} onRetry={overview.reload} />;
  if (!overview.data) return <Loading />;
  const { profiles, activity, chat } = overview.data;
  const total = profiles.byCountryStatus.reduce((s, r) => s + r.count, 0);
  // The usage API reports by day, task and model; the dashboard sums per model (cost is per provider
  // contract, so tokens are what is shown).
  const byModel = new Map<string, { calls: number; failed: number; input: number; output: number }>();
  for (const r of usage.data?.items ?? []) {
    const m = byModel.get(r.model) ?? { calls: 0, failed: 0, input: 0, output: 0 };
    m.calls += r.calls;
    m.failed += r.failed;
    m.input += r.inputTokens;
    m.output += r.outputTokens;
    byModel.set(r.model, m);
  }
  const days = [...new Set(activity.map((a) => a.day))];

  return (
    <>
      <PageHeader title={t('nav.dashboard')} />
      <div class="stats">
        <div class="stat card">
          <div class="stat-value">{total.toLocaleString()}</div>
          <div class="stat-label">{t('dash.profiles')}</div>
        </div>
        {(['JP', 'TH'] as const).map((c) => (
          <div class="stat card" key={c}>
            <div class="stat-value">
              {profiles.byCountryStatus
                .filter((r) => r.country === c && r.status === 'published')
                .reduce((s, r) => s + r.count, 0)
                .toLocaleString()}
            </div>
            <div class="stat-label">
              {t(`country.${c}`)} · {t('status.published')}
            </div>
          </div>
        ))}
        <a class="stat card" href="/console/profiles?pendingReview=true">
          <div class="stat-value warn">{profiles.pendingReview.toLocaleString()}</div>
          <div class="stat-label">{t('pendingReview')}</div>
        </a>
      </div>
      <div class="dash-grid">
        <section class="card">
          <h2>{t('dash.byCountry')}</h2>
          <Bars
            rows={profiles.byCountryStatus.map((r) => ({
              label: `${t(`country.${r.country}` as 'country.JP')} · ${t(`status.${r.status}` as 'status.draft')}`,
              value: r.count,
              tone: r.status,
            }))}
          />
        </section>
        <section class="card">
          <h2>{t('dash.missing')}</h2>
          <Bars
            rows={profiles.missingNames.map((r) => ({
              label: `${t(`country.${r.country}` as 'country.JP')} · ${t(`lang.${r.lang}` as 'lang.ja')}`,
              value: r.count,
              tone: 'bad',
            }))}
          />
          {profiles.missingNames.length === 0 && <p class="muted">{t('none')}</p>}
        </section>
        <section class="card">
          <h2>{t('dash.activity')}</h2>
          <Bars
            rows={days.map((d) => ({
              label: d.slice(5),
              value: activity.filter((a) => a.day === d).reduce((s, a) => s + a.count, 0),
            }))}
          />
          {days.length === 0 && <p class="muted">{t('none')}</p>}
        </section>
        <section class="card">
          <h2>{t('dash.llm')}</h2>
          {isMissingApi(usage.error) ? (
            <Placeholder what="GET /api/llm/usage" />
          ) : usage.error ? (
            <ErrorBox error={usage.error} />
          ) : (
            <>
              {usage.data && !usage.data.configured && <p class="alert alert-info">{t('llm.none')}</p>}
              <div class="table-scroll">
                <table class="grid">
                  <thead>
                    <tr>
                      <th>{t('model')}</th>
                      <th>{t('calls')}</th>
                      <th>{t('failed')}</th>
                      <th>{t('tokensInOut')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...byModel].map(([model, m]) => (
                      <tr key={model}>
                        <td class="mono">{model}</td>
                        <td>{m.calls.toLocaleString()}</td>
                        <td>{m.failed.toLocaleString()}</td>
                        <td>
                          {m.input.toLocaleString()} / {m.output.toLocaleString()}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
        <section class="card">
          <h2>{t('dash.chat')}</h2>
          <Bars
            rows={[
              { label: t('dash.conversations'), value: chat.conversations },
              { label: t('dash.requests'), value: chat.requests },
              { label: t('dash.answersWithMatches'), value: chat.answersWithMatches },
              { label: t('dash.companiesShown'), value: chat.companiesShown },
              { label: t('dash.relayMessages'), value: chat.relayMessages },
            ]}
          />
          <h3>{t('dash.introductions')}</h3>
          <Bars
            rows={chat.introductions.map((i) => ({
              label: t(`intro.status.${i.status}` as 'intro.status.draft'),
              value: i.count,
            }))}
          />
          {chat.introductions.length === 0 && <p class="muted">{t('none')}</p>}
        </section>
      </div>
    </>
  );
}
