import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { EnrichmentCard } from './profile-enrichment';
import { Badge, ErrorBox, Loading, PageHeader, StatusBadge, useLoad } from '../components';
import { type MessageKey, formatDate, t, useLang } from '../i18n';
import {
  CONTACT_FIELDS,
  type FormState,
  type Industry,
  LANGS,
  LIST_FIELDS,
  LOCALIZED_FIELDS,
  type Lang,
  PARTNERSHIP_TYPES,
  type ProfileDto,
  changedKeys,
  displayName,
  emptyForm,
  fromForm,
  missingTranslations,
  threeWayMerge,
  toForm,
  validateForm,
} from '../profile-form';
import { navigate } from '../router';
import { can, useStaff } from '../session';
import { ProfileHistory } from './profile-history';
import { ProfilePreview } from './profile-preview';

interface Capabilities {
  llm: { configured: boolean; models: string[] };
}

type Tab = 'edit' | 'history' | 'preview';

/** The label of a flat form key for messages and the conflict panel ("Company name · Japanese"). */
export function keyLabel(key: string): string {
  const [field, sub] = key.split('.');
  const fieldLabel = t(`field.${field}` as MessageKey);
  if (!sub) return fieldLabel;
  if (field === 'contact')
    return `${fieldLabel} · ${sub === 'email' ? t('email') : t(`contact.${sub}` as MessageKey)}`;
  return `${fieldLabel} · ${t(`lang.${sub}` as MessageKey)}`;
}

export function ProfileEditorPage({ externalId }: { externalId?: string }) {
  useLang();
  const staff = useStaff();
  const isNew = externalId === undefined;
  const canEdit = can(staff, 'curator');
  const [tab, setTab] = useState<Tab>('edit');
  const [base, setBase] = useState<FormState | null>(isNew ? emptyForm() : null);
  const [form, setForm] = useState<FormState>(emptyForm());
  const [etag, setEtag] = useState<string | undefined>();
  const [meta, setMeta] = useState<Pick<ProfileDto, 'version' | 'machineTranslated' | 'updatedAt'>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflicts, setConflicts] = useState<Array<{ key: string; mine: string; theirs: string }>>([]);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'warn' | 'bad'; text: string | (() => string) } | null>(
    null,
  );
  // Notices from the UI's own messages are kept as functions, so they follow a change of UI language.
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState<'' | 'save' | 'translate'>('');
  /** Fields "translate missing" filled, with the text it put there (marked machine-translated on save). */
  const [machineFilled, setMachineFilled] = useState<Record<string, string>>({});
  const caps = useLoad(async () => (await api<Capabilities>('GET', '/api/console/capabilities')).data, []);

  const adopt = (p: ProfileDto, tag: string | undefined) => {
    const f = toForm(p);
    setBase(f);
    setForm(f);
    setEtag(tag);
    setMeta({ version: p.version, machineTranslated: p.machineTranslated ?? [], updatedAt: p.updatedAt });
  };

  useEffect(() => {
    if (isNew) return;
    api<ProfileDto>('GET', `/api/companies/${encodeURIComponent(externalId)}`).then(
      (r) => adopt(r.data, r.etag),
      setFailure,
    );
  }, [externalId]);

  const dirty = base !== null && changedKeys(base, form).length > 0;
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (failure && !base) return <ErrorBox error={failure} />;
  if (!base) return <Loading />;

  const set = (key: string, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key] || errors[key.split('.')[0]])
      setErrors((e) => ({ ...e, [key]: '', [key.split('.')[0]]: '' }));
  };
  const mt = new Set(meta.machineTranslated ?? []);

  const save = async (status?: string) => {
    const next = status ? { ...form, status } : form;
    const clientErrors = validateForm(next, isNew);
    if (Object.keys(clientErrors).length) {
      setErrors(
        Object.fromEntries(
          Object.entries(clientErrors).map(([k, v]) => [k, v === 'nameRequired' ? t('nameRequired') : v]),
        ),
      );
      setNotice({ tone: 'bad', text: () => t('fixFields') });
      return;
    }
    setBusy('save');
    setNotice(null);
    try {
      const body = fromForm(next, canEdit);
      const res = isNew
        ? await api<ProfileDto>('POST', '/api/companies', { body })
        : await api<ProfileDto>('PUT', `/api/companies/${encodeURIComponent(externalId)}`, {
            body,
            ifMatch: etag,
          });
      let saved = res.data;
      let tag = res.etag;
      const toMark = Object.keys(machineFilled).filter((k) => next[k] === machineFilled[k]);
      if (toMark.length) {
        const r = await api<{ version: number; machineTranslated: string[] }>(
          'POST',
          `/api/console/profiles/${encodeURIComponent(saved.externalId)}/review`,
          { body: { markMachineTranslated: toMark }, ifMatch: tag },
        );
        saved = { ...saved, version: r.data.version, machineTranslated: r.data.machineTranslated };
        tag = r.etag;
      }
      setMachineFilled({});
      setErrors({});
      setConflicts([]);
      if (isNew) {
        navigate(`/console/profiles/${encodeURIComponent(saved.externalId)}`, true);
        return;
      }
      adopt(saved, tag);
      setNotice({ tone: 'ok', text: () => `${t('saved')} · ${t('version')} ${saved.version}` });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) await resolveConflict(next);
      else if (err instanceof ApiError && err.problem.errors?.length) {
        setErrors(Object.fromEntries(err.problem.errors.map((e) => [e.path, e.message])));
        setNotice({ tone: 'bad', text: () => t('fixFields') });
      } else setNotice({ tone: 'bad', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy('');
    }
  };

  /** Someone saved first: merge their version in, keep every text of mine, and ask only about real clashes. */
  const resolveConflict = async (mine: FormState) => {
    const latest = await api<ProfileDto>('GET', `/api/companies/${encodeURIComponent(externalId!)}`);
    const theirs = toForm(latest.data);
    const { merged, conflicts: clashes } = threeWayMerge(base, mine, theirs);
    setBase(theirs);
    setEtag(latest.etag);
    setMeta({
      version: latest.data.version,
      machineTranslated: latest.data.machineTranslated ?? [],
      updatedAt: latest.data.updatedAt,
    });
    setForm(merged);
    setConflicts(clashes);
    // With clashes the conflict panel says it all; without, a short note asks for a second look.
    setNotice(clashes.length ? null : { tone: 'warn', text: () => t('conflict.merged') });
  };

  const review = async (paths: string[]) => {
    try {
      const r = await api<{ version: number; machineTranslated: string[] }>(
        'POST',
        `/api/console/profiles/${encodeURIComponent(externalId!)}/review`,
        { body: { approve: paths }, ifMatch: etag },
      );
      setEtag(r.etag);
      setMeta((m) => ({ ...m, version: r.data.version, machineTranslated: r.data.machineTranslated }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) await resolveConflict(form);
      else setNotice({ tone: 'bad', text: err instanceof Error ? err.message : String(err) });
    }
  };

  const translateMissing = async () => {
    setBusy('translate');
    setNotice(null);
    const filled: Record<string, string> = {};
    try {
      for (const item of missingTranslations(form)) {
        const r = await api<{ translation: string }>('POST', '/api/translate', {
          body: { text: item.text, from: item.from, to: item.to },
        });
        filled[item.key] = r.data.translation;
      }
      setForm((f) => ({ ...f, ...filled }));
      setMachineFilled((m) => ({ ...m, ...filled }));
      setNotice({ tone: 'warn', text: () => t('translatedFilled', { n: Object.keys(filled).length }) });
    } catch (err) {
      setForm((f) => ({ ...f, ...filled }));
      setMachineFilled((m) => ({ ...m, ...filled }));
      setNotice({
        tone: 'bad',
        text:
          err instanceof ApiError && err.status === 503
            ? t('translateUnavailable')
            : err instanceof Error
              ? err.message
              : String(err),
      });
    } finally {
      setBusy('');
    }
  };

  const llmReady = caps.data?.llm.configured === true;
  const missingCount = missingTranslations(form).length;
  const title = isNew
    ? t('newProfile')
    : displayName({ ja: form['names.ja'], th: form['names.th'], en: form['names.en'] }, useLang());
  const status = base.status;

  return (
    <>
      <PageHeader
        title={title || t('newProfile')}
        sub={
          <>
            {!isNew && <span class="mono">{externalId}</span>} {!isNew && <StatusBadge status={status} />}{' '}
            {meta.version !== undefined && (
              <span class="muted">
                {t('version')} {meta.version} · {t('updated')} {formatDate(meta.updatedAt)}
              </span>
            )}{' '}
            {mt.size > 0 && (
              <Badge tone="warn">
                {t('pendingReview')}: {mt.size}
              </Badge>
            )}
            {dirty && <Badge tone="info">{t('unsaved')}</Badge>}
          </>
        }
      >
        {canEdit && tab === 'edit' && (
          <>
            <span class="tooltip-wrap" title={llmReady ? '' : t('translateUnavailable')}>
              <button
                class="btn"
                data-testid="translate-missing"
                disabled={!llmReady || missingCount === 0 || busy !== ''}
                onClick={() => void translateMissing()}
              >
                {busy === 'translate' ? t('translating') : `${t('translateMissing')} (${missingCount})`}
              </button>
            </span>
            {!isNew && mt.size > 0 && (
              <button class="btn" onClick={() => void review([...mt])}>
                {t('approveAll')}
              </button>
            )}
            {!isNew && status !== 'published' && status !== 'archived' && (
              <button
                class="btn btn-ok"
                data-testid="publish"
                disabled={busy !== '' || conflicts.length > 0}
                onClick={() => void save('published')}
              >
                {t('publish')}
              </button>
            )}
            {!isNew && status === 'published' && (
              <button
                class="btn"
                disabled={busy !== '' || conflicts.length > 0}
                onClick={() => void save('draft')}
              >
                {t('toDraft')}
              </button>
            )}
            {!isNew && status !== 'archived' && (
              <button
                class="btn btn-ghost"
                disabled={busy !== '' || conflicts.length > 0}
                onClick={() => confirm(t('confirm')) && void save('archived')}
              >
                {t('archive')}
              </button>
            )}
            {!isNew && status === 'archived' && (
              <button class="btn" disabled={busy !== ''} onClick={() => void save('draft')}>
                {t('restore')}
              </button>
            )}
            <button
              class="btn btn-primary"
              data-testid="save"
              disabled={busy !== '' || conflicts.length > 0}
              onClick={() => void save()}
            >
              {busy === 'save' ? t('saving') : t('save')}
            </button>
          </>
        )}
      </PageHeader>
      {canEdit && !llmReady && caps.data && missingCount > 0 && (
        <p class="hint" data-testid="translate-unavailable">
          {t('translateUnavailable')}
        </p>
      )}
      {!canEdit && <div class="alert alert-info">{t('readOnly')}</div>}
      {notice && (
        <div class={`alert alert-${notice.tone}`} role="status" data-testid="notice">
          {typeof notice.text === 'function' ? notice.text() : notice.text}
        </div>
      )}
      {conflicts.length > 0 && (
        <section class="conflicts card" data-testid="conflicts">
          <h2>{t('conflict.title')}</h2>
          <p>{t('conflict.help')}</p>
          {conflicts.map((c) => (
            <div class="conflict" key={c.key} data-key={c.key}>
              <div class="conflict-field">{keyLabel(c.key)}</div>
              <div class="conflict-side">
                <div class="conflict-label">{t('conflict.mine')}</div>
                <pre class="conflict-mine">{c.mine || '—'}</pre>
              </div>
              <div class="conflict-side">
                <div class="conflict-label">{t('conflict.theirs')}</div>
                <pre class="conflict-theirs">{c.theirs || '—'}</pre>
              </div>
              <div class="conflict-actions">
                <button
                  class="btn btn-small"
                  onClick={() => setConflicts((cs) => cs.filter((x) => x.key !== c.key))}
                >
                  {t('conflict.keepMine')}
                </button>
                <button
                  class="btn btn-small"
                  onClick={() => {
                    set(c.key, c.theirs);
                    setConflicts((cs) => cs.filter((x) => x.key !== c.key));
                  }}
                >
                  {t('conflict.takeTheirs')}
                </button>
              </div>
            </div>
          ))}
        </section>
      )}
      {!isNew && (
        <div class="tabs" role="tablist">
          {(['edit', 'history', 'preview'] as Tab[]).map((k) => (
            <button
              role="tab"
              aria-selected={tab === k}
              class={tab === k ? 'active' : ''}
              key={k}
              onClick={() => setTab(k)}
            >
              {t(`tab.${k}`)}
            </button>
          ))}
        </div>
      )}
      {tab === 'history' && externalId && <ProfileHistory externalId={externalId} version={meta.version} />}
      {tab === 'preview' && (
        <ProfilePreview
          profile={fromForm(form, false) as unknown as ProfileDto}
          machineTranslated={[...mt, ...Object.keys(machineFilled)]}
        />
      )}
      {tab === 'edit' && (
        <fieldset class="editor" disabled={!canEdit}>
          <LocalizedGrid
            form={form}
            set={set}
            errors={errors}
            mt={mt}
            machineFilled={machineFilled}
            onApprove={isNew ? undefined : (k) => void review([k])}
          />
          <BasicsSection form={form} set={set} errors={errors} isNew={isNew} />
          {canEdit && <ContactSection form={form} set={set} errors={errors} />}
        </fieldset>
      )}
      {tab === 'edit' && !isNew && externalId && <EnrichmentCard externalId={externalId} canEdit={canEdit} />}
    </>
  );
}

interface SectionProps {
  form: FormState;
  set: (key: string, value: string) => void;
  errors: Record<string, string>;
}

/** Errors the API reported for this key or anything under it (e.g. `industries.0.code`). */
function errorFor(errors: Record<string, string>, key: string): string | undefined {
  return Object.entries(errors).find(([k, v]) => v && (k === key || k.startsWith(`${key}.`)))?.[1];
}

function LocalizedGrid(
  props: SectionProps & {
    mt: Set<string>;
    machineFilled: Record<string, string>;
    onApprove?: (key: string) => void;
  },
) {
  const { form, set, errors } = props;
  return (
    <section class="card">
      <div class="table-scroll">
        <table class="loc-grid">
          <thead>
            <tr>
              <th />
              {LANGS.map((l) => (
                <th key={l}>
                  {t(`lang.${l}`)} <span class="muted">{l}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {LOCALIZED_FIELDS.map((field) => {
              const isList = (LIST_FIELDS as readonly string[]).includes(field);
              const long = field === 'description' || field === 'summary' || isList;
              const groupError = errors[field];
              return (
                <tr key={field}>
                  <th scope="row">
                    {t(`field.${field}`)}
                    {isList && <div class="muted small">{t('onePerLine')}</div>}
                    {groupError && <div class="field-error">{groupError}</div>}
                  </th>
                  {LANGS.map((l) => {
                    const key = `${field}.${l}`;
                    const value = form[key] ?? '';
                    const missing = field === 'names' && !value.trim();
                    const isMt =
                      props.mt.has(key) ||
                      (props.machineFilled[key] !== undefined && props.machineFilled[key] === value);
                    const err = errors[key];
                    const attrs = {
                      name: key,
                      'data-field': key,
                      lang: l,
                      value,
                      class: `${missing ? 'is-missing' : ''} ${isMt ? 'is-mt' : ''} ${err ? 'is-invalid' : ''}`,
                      'aria-invalid': err ? true : undefined,
                      'aria-label': `${t(`field.${field}`)} (${l})`,
                      onInput: (e: Event) => set(key, (e.target as HTMLInputElement).value),
                    };
                    return (
                      <td key={l} class="loc-cell">
                        {long ? (
                          <textarea rows={field === 'description' ? 4 : isList ? 3 : 2} {...attrs} />
                        ) : (
                          <input {...attrs} />
                        )}
                        <div class="cell-flags">
                          {missing && <Badge tone="bad">{t('missing', { lang: t(`lang.${l}`) })}</Badge>}
                          {isMt && <Badge tone="warn">{t('mtBadge')}</Badge>}
                          {props.mt.has(key) && props.onApprove && (
                            <button
                              type="button"
                              class="link"
                              data-approve={key}
                              onClick={() => props.onApprove!(key)}
                            >
                              {t('approve')}
                            </button>
                          )}
                        </div>
                        {err && <div class="field-error">{err}</div>}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Field(props: { label: string; error?: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={`field ${props.wide ? 'wide' : ''} ${props.error ? 'has-error' : ''}`}>
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.error && <span class="field-error">{props.error}</span>}
    </label>
  );
}

function BasicsSection({ form, set, errors, isNew }: SectionProps & { isNew: boolean }) {
  const listValue = (key: string) => new Set(form[key].split(',').filter(Boolean));
  const toggle = (key: string, v: string, on: boolean) => {
    const s = listValue(key);
    if (on) s.add(v);
    else s.delete(v);
    set(key, [...s].join(','));
  };
  const industries = (() => {
    try {
      return JSON.parse(form.industries) as Industry[];
    } catch {
      return [];
    }
  })();
  const setIndustries = (list: Industry[]) => set('industries', JSON.stringify(list));
  const text = (key: string, extra: Record<string, unknown> = {}) => (
    <input
      name={key}
      data-field={key}
      value={form[key]}
      class={errorFor(errors, key) ? 'is-invalid' : ''}
      onInput={(e) => set(key, (e.target as HTMLInputElement).value)}
      {...extra}
    />
  );

  return (
    <section class="card basics">
      <div class="field-row">
        <Field label={t('field.externalId')} error={errorFor(errors, 'externalId')}>
          {isNew ? (
            text('externalId', { placeholder: 'TH-0001', required: true })
          ) : (
            <span class="mono static">{form.externalId}</span>
          )}
        </Field>
        <Field label={t('country')} error={errorFor(errors, 'country')}>
          <select
            name="country"
            data-field="country"
            value={form.country}
            onChange={(e) => set('country', (e.target as HTMLSelectElement).value)}
          >
            <option value="JP">{t('country.JP')}</option>
            <option value="TH">{t('country.TH')}</option>
          </select>
        </Field>
        <Field label={t('field.employees')} error={errorFor(errors, 'employees')}>
          {text('employees', { inputMode: 'numeric' })}
        </Field>
        <Field label={t('field.foundedYear')} error={errorFor(errors, 'foundedYear')}>
          {text('foundedYear', { inputMode: 'numeric' })}
        </Field>
        <Field label={t('field.website')} error={errorFor(errors, 'website')} wide>
          {text('website', { placeholder: 'https://', inputMode: 'url' })}
        </Field>
      </div>
      <div class="field-row">
        <Field label={t('field.partnershipTypes')} error={errorFor(errors, 'partnershipTypes')} wide>
          <span class="checks">
            {PARTNERSHIP_TYPES.map((p) => (
              <label class="check" key={p}>
                <input
                  type="checkbox"
                  checked={listValue('partnershipTypes').has(p)}
                  onChange={(e) => toggle('partnershipTypes', p, (e.target as HTMLInputElement).checked)}
                />
                {t(`pt.${p}` as MessageKey)}
              </label>
            ))}
          </span>
        </Field>
        <Field label={t('field.languages')} error={errorFor(errors, 'languages')}>
          <span class="checks">
            {LANGS.map((l) => (
              <label class="check" key={l}>
                <input
                  type="checkbox"
                  checked={listValue('languages').has(l)}
                  onChange={(e) => toggle('languages', l, (e.target as HTMLInputElement).checked)}
                />
                {l}
              </label>
            ))}
          </span>
        </Field>
        <Field
          label={`${t('field.certifications')} (${t('commaSeparated')})`}
          error={errorFor(errors, 'certifications')}
          wide
        >
          {text('certifications')}
        </Field>
      </div>
      <div class="industries">
        <div class="field-label">
          {t('field.industries')}{' '}
          {errorFor(errors, 'industries') && (
            <span class="field-error">{errorFor(errors, 'industries')}</span>
          )}
        </div>
        {industries.length > 0 && (
          <div class="table-scroll">
            <table class="mini">
              <thead>
                <tr>
                  <th>{t('scheme')}</th>
                  <th>{t('code')}</th>
                  {LANGS.map((l) => (
                    <th key={l}>
                      {t('label')} ({l})
                    </th>
                  ))}
                  <th />
                </tr>
              </thead>
              <tbody>
                {industries.map((ind, i) => {
                  const update = (patch: Partial<Industry>) =>
                    setIndustries(industries.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                  return (
                    <tr key={i}>
                      <td>
                        <input
                          value={ind.scheme}
                          aria-label={t('scheme')}
                          onInput={(e) => update({ scheme: (e.target as HTMLInputElement).value })}
                        />
                      </td>
                      <td>
                        <input
                          value={ind.code ?? ''}
                          aria-label={t('code')}
                          onInput={(e) => update({ code: (e.target as HTMLInputElement).value })}
                        />
                      </td>
                      {LANGS.map((l: Lang) => (
                        <td key={l}>
                          <input
                            lang={l}
                            value={ind.label?.[l] ?? ''}
                            aria-label={`${t('label')} ${l}`}
                            onInput={(e) =>
                              update({ label: { ...ind.label, [l]: (e.target as HTMLInputElement).value } })
                            }
                          />
                        </td>
                      ))}
                      <td>
                        <button
                          type="button"
                          class="link"
                          onClick={() => setIndustries(industries.filter((_, j) => j !== i))}
                        >
                          {t('remove')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <button
          type="button"
          class="btn btn-small"
          onClick={() => setIndustries([...industries, { scheme: 'TSIC' }])}
        >
          + {t('addIndustry')}
        </button>
      </div>
    </section>
  );
}

function ContactSection({ form, set, errors }: SectionProps) {
  return (
    <section class="card private">
      <h2>{t('field.contact')}</h2>
      <p class="muted small">{t('field.contact.help')}</p>
      <div class="field-row">
        {CONTACT_FIELDS.map((c) => (
          <Field
            key={c}
            label={c === 'email' ? t('email') : t(`contact.${c}` as MessageKey)}
            error={errorFor(errors, `contact.${c}`)}
          >
            <input
              name={`contact.${c}`}
              data-field={`contact.${c}`}
              autocomplete="off"
              value={form[`contact.${c}`]}
              onInput={(e) => set(`contact.${c}`, (e.target as HTMLInputElement).value)}
            />
          </Field>
        ))}
      </div>
    </section>
  );
}
