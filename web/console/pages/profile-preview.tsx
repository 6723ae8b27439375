import { useState } from 'preact/hooks';
import { Badge } from '../components';
import { type MessageKey, t } from '../i18n';
import { type Lang, LANGS, type Localized, type ProfileDto } from '../profile-form';

const FALLBACK: Record<Lang, Lang[]> = {
  ja: ['ja', 'en', 'th'],
  th: ['th', 'en', 'ja'],
  en: ['en', 'ja', 'th'],
};

function pick<T>(value: Localized<T> | undefined, lang: Lang): { value?: T; from?: Lang } {
  for (const l of FALLBACK[lang]) if (value?.[l] !== undefined) return { value: value[l], from: l };
  return {};
}

/**
 * The match card as a seeker reading in `lang` would see it: each field in their language when it exists,
 * else the fallback, which is flagged here so curators see what is missing. Never shows contact data.
 */
export function ProfilePreview({
  profile,
  machineTranslated,
}: {
  profile: ProfileDto;
  machineTranslated: string[];
}) {
  const [lang, setLang] = useState<Lang>(profile.country === 'TH' ? 'ja' : 'th');
  const fields = ['names', 'summary', 'offerings', 'seeking', 'location'] as const;
  const shown = Object.fromEntries(
    fields.map((f) => [f, pick(profile[f] as Localized<string | string[]>, lang)]),
  ) as Record<(typeof fields)[number], { value?: string | string[]; from?: Lang }>;
  const textOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : (v ?? ''));
  const fallbacks = fields.filter((f) => shown[f].value !== undefined && shown[f].from !== lang);
  const mark = (f: (typeof fields)[number]) => {
    const from = shown[f].from;
    if (!from) return null;
    if (from !== lang) return <Badge tone="bad">{from.toUpperCase()}</Badge>;
    return machineTranslated.includes(`${f}.${from}`) ? <Badge tone="warn">{t('mtBadge')}</Badge> : null;
  };
  const industry = profile.industries?.[0];
  return (
    <section class="preview">
      <div class="preview-controls">
        {t('previewAs')}{' '}
        {LANGS.map((l) => (
          <button
            class={`btn btn-small ${l === lang ? 'btn-primary' : ''}`}
            key={l}
            onClick={() => setLang(l)}
          >
            {t(`lang.${l}`)}
          </button>
        ))}
      </div>
      <p class={fallbacks.length ? 'alert alert-warn' : 'alert alert-ok'}>
        {fallbacks.length
          ? t('previewFallback', {
              lang: t(`lang.${lang}`),
              fields: fallbacks.map((f) => t(`field.${f}` as MessageKey)).join(', '),
            })
          : t('previewComplete', { lang: t(`lang.${lang}`) })}
      </p>
      <article class="match-card" lang={lang} data-testid="match-card">
        <header>
          <h3>
            {textOf(shown.names.value) || '—'} {mark('names')}
          </h3>
          <div class="muted small">
            {t(`country.${profile.country}`)}
            {shown.location.value ? ` · ${textOf(shown.location.value)}` : ''} {mark('location')}
            {industry ? ` · ${pick(industry.label, lang).value ?? industry.code ?? ''}` : ''}
          </div>
        </header>
        {shown.summary.value !== undefined && (
          <p>
            {textOf(shown.summary.value)} {mark('summary')}
          </p>
        )}
        {(['offerings', 'seeking'] as const).map(
          (f) =>
            Array.isArray(shown[f].value) && (
              <div key={f}>
                <div class="card-label">
                  {t(`field.${f}`)} {mark(f)}
                </div>
                <ul>
                  {shown[f].value.map((x) => (
                    <li key={x}>{x}</li>
                  ))}
                </ul>
              </div>
            ),
        )}
        {profile.partnershipTypes?.length ? (
          <div class="chips">
            {profile.partnershipTypes.map((p) => (
              <Badge key={p} tone="info">
                {t(`pt.${p}` as MessageKey)}
              </Badge>
            ))}
          </div>
        ) : null}
      </article>
    </section>
  );
}
