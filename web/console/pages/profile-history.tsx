import { api } from '../api';
import { ErrorBox, Loading, useLoad } from '../components';
import { formatDate, t } from '../i18n';

export interface AuditRecord {
  id: number;
  entityType: string;
  entityId: string;
  action: string;
  actor: string;
  changedFields: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}

/** Short, readable rendering of an audit value (localized objects shown as "ja: … / en: …"). */
export function brief(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return value.map(brief).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${brief(v)}`)
    .join(' / ');
}

const MAX_FIELDS = 4;
const MAX_CHARS = 140;

/** A compact before/after cell: long texts clipped (full text on hover), at most a few fields listed. */
function Snapshot({ values }: { values: Record<string, unknown> | null }) {
  if (!values) return null;
  const entries = Object.entries(values);
  return (
    <>
      {entries.slice(0, MAX_FIELDS).map(([k, v]) => {
        const text = brief(v);
        return (
          <div key={k} title={text.length > MAX_CHARS ? text : undefined}>
            <b>{k}</b> {text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text}
          </div>
        );
      })}
      {entries.length > MAX_FIELDS && <div class="muted">+{entries.length - MAX_FIELDS}</div>}
    </>
  );
}

export function AuditRows({ items, showEntity }: { items: AuditRecord[]; showEntity?: boolean }) {
  return (
    <div class="table-scroll">
      <table class="grid audit">
        <thead>
          <tr>
            <th>{t('at')}</th>
            <th>{t('actor')}</th>
            {showEntity && <th>{t('entityType')}</th>}
            {showEntity && <th>{t('entityId')}</th>}
            <th>{t('action')}</th>
            <th>{t('fields')}</th>
            <th>{t('before')}</th>
            <th>{t('after')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td class="nowrap muted">{formatDate(r.at)}</td>
              <td class="mono small">{r.actor}</td>
              {showEntity && <td>{r.entityType}</td>}
              {showEntity && (
                <td class="mono small">
                  {r.entityType === 'company' ? (
                    <a href={`/console/profiles/${encodeURIComponent(r.entityId)}`}>{r.entityId}</a>
                  ) : (
                    r.entityId
                  )}
                </td>
              )}
              <td>{r.action}</td>
              <td class="fields">{r.changedFields.join(', ')}</td>
              <td class="diff-before">
                <Snapshot values={r.before} />
              </td>
              <td class="diff-after">
                <Snapshot values={r.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProfileHistory({ externalId, version }: { externalId: string; version?: number }) {
  const history = useLoad(
    async () =>
      (await api<{ items: AuditRecord[] }>('GET', `/api/companies/${encodeURIComponent(externalId)}/history`))
        .data.items,
    [externalId, version],
  );
  if (history.error) return <ErrorBox error={history.error} onRetry={history.reload} />;
  if (!history.data) return <Loading />;
  return (
    <section class="card" data-testid="history">
      <AuditRows items={history.data} />
    </section>
  );
}
