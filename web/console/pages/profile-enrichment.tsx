import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { Badge, ErrorBox } from '../components';
import { t, useLang } from '../i18n';

type Lang = 'ja' | 'th' | 'en';
const LANGS: Lang[] = ['ja', 'th', 'en'];

/** GET /api/companies/:id/enrichment: the model's reading of the profile, or staff's correction of it. */
interface EnrichmentDto {
  businesses: Array<{ code: string; confidence: number; labels: Record<Lang, string> }>;
  keywords: Partial<Record<Lang, string[]>>;
  source: 'model' | 'staff';
  model?: string;
  updatedAt: string;
  updatedBy?: string;
}

const splitWords = (s: string) =>
  s
    .split(/[,、，\n]/)
    .map((w) => w.trim())
    .filter(Boolean);

/**
 * The kinds of business and keywords the model read from this profile (stored apart from the profile, used by
 * matching), marked machine-made until staff correct them. Curators can correct or reset them.
 */
export function EnrichmentCard({ externalId, canEdit }: { externalId: string; canEdit: boolean }) {
  const lang = useLang();
  const [value, setValue] = useState<EnrichmentDto | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [codes, setCodes] = useState('');
  const [words, setWords] = useState<Record<Lang, string>>({ ja: '', th: '', en: '' });
  const [error, setError] = useState<unknown>(null);
  const path = `/api/companies/${encodeURIComponent(externalId)}/enrichment`;

  useEffect(() => {
    api<{ enrichment: EnrichmentDto | null }>('GET', path).then(
      (r) => setValue(r.data.enrichment),
      (err: unknown) => (err instanceof ApiError && err.status === 404 ? setValue(null) : setError(err)),
    );
  }, [path]);

  const startEdit = () => {
    setCodes((value?.businesses ?? []).map((b) => b.code).join(', '));
    setWords({
      ja: (value?.keywords.ja ?? []).join(', '),
      th: (value?.keywords.th ?? []).join(', '),
      en: (value?.keywords.en ?? []).join(', '),
    });
    setEditing(true);
  };
  const save = async () => {
    setError(null);
    try {
      const r = await api<{ enrichment: EnrichmentDto }>('PUT', path, {
        body: {
          businesses: splitWords(codes).map((code) => ({ code })),
          keywords: Object.fromEntries(LANGS.map((l) => [l, splitWords(words[l])])),
        },
      });
      setValue(r.data.enrichment);
      setEditing(false);
    } catch (err) {
      setError(err);
    }
  };
  const reset = async () => {
    setError(null);
    try {
      await api('DELETE', path);
      setValue(null);
    } catch (err) {
      setError(err);
    }
  };

  if (value === undefined && !error) return null;
  return (
    <section class="card enrichment" data-testid="enrichment">
      <h3>
        {t('enrichment.title')}{' '}
        {value && (
          <Badge tone={value.source === 'staff' ? 'ok' : 'warn'}>
            {value.source === 'staff' ? t('enrichment.staff') : t('enrichment.machine')}
          </Badge>
        )}
      </h3>
      <p class="muted small">{t('enrichment.help')}</p>
      <ErrorBox error={error} />
      {!editing && !value && <p class="empty">{t('enrichment.none')}</p>}
      {!editing && value && (
        <>
          <p>
            {value.businesses.map((b) => (
              <Badge key={b.code} tone="info" title={`TSIC ${b.code}`}>
                {b.labels[lang] ?? b.labels.en} <span class="mono small">{b.code}</span>
              </Badge>
            ))}
          </p>
          <dl class="enrichment-keywords">
            {LANGS.filter((l) => value.keywords[l]?.length).flatMap((l) => [
              <dt key={`${l}-t`}>{t(`lang.${l}`)}</dt>,
              <dd key={`${l}-d`}>{(value.keywords[l] ?? []).join(', ')}</dd>,
            ])}
          </dl>
          <p class="muted small">
            {value.source === 'staff' ? value.updatedBy : value.model} ·{' '}
            {new Date(value.updatedAt).toLocaleString()}
          </p>
        </>
      )}
      {editing && (
        <div class="enrichment-form">
          <label>
            {t('enrichment.codes')}
            <input value={codes} onInput={(e) => setCodes((e.target as HTMLInputElement).value)} />
          </label>
          {LANGS.map((l) => (
            <label key={l}>
              {t('enrichment.keywords')} ({t(`lang.${l}`)})
              <input
                value={words[l]}
                onInput={(e) => setWords({ ...words, [l]: (e.target as HTMLInputElement).value })}
              />
            </label>
          ))}
        </div>
      )}
      {canEdit && (
        <div class="actions">
          {editing ? (
            <>
              <button class="btn btn-primary btn-small" onClick={() => void save()}>
                {t('save')}
              </button>
              <button class="btn btn-small" onClick={() => setEditing(false)}>
                {t('cancel')}
              </button>
            </>
          ) : (
            <>
              <button class="btn btn-small" onClick={startEdit}>
                {t('enrichment.edit')}
              </button>
              {value && (
                <button class="btn btn-small" onClick={() => void reset()}>
                  {t('enrichment.reset')}
                </button>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
