import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorBox, Loading, PageHeader, Placeholder, isMissingApi, useLoad } from '../components';
import { t } from '../i18n';
import { type Lang, LANGS } from '../profile-form';
import { can, useStaff } from '../session';

/** A glossary term as /api/glossary (the LLM layer) serves it. */
interface Term {
  id?: string;
  ja?: string;
  th?: string;
  en?: string;
  doNotTranslate: boolean;
  note?: string;
  version?: number;
}

interface TermPage {
  items: Term[];
  total: number;
  glossaryVersion: number;
}

const body = (term: Term) => ({
  ...Object.fromEntries(LANGS.filter((l) => term[l]?.trim()).map((l) => [l, term[l]!.trim()])),
  doNotTranslate: term.doNotTranslate,
  ...(term.note?.trim() ? { note: term.note.trim() } : {}),
});

/** CSV with a header row (ja,th,en,doNotTranslate,note); quoted fields may hold commas and quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      if (row.some((c) => c !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  row.push(cell);
  if (row.some((c) => c !== '')) rows.push(row);
  return rows;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function GlossaryPage() {
  const staff = useStaff();
  const canEdit = can(staff, 'curator');
  const [editing, setEditing] = useState<Term | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState('');
  const [q, setQ] = useState('');
  const terms = useLoad(async () => {
    const params = new URLSearchParams({ pageSize: '500' });
    if (q.trim()) params.set('q', q.trim());
    return (await api<TermPage>('GET', `/api/glossary?${params}`)).data;
  }, [q]);

  if (isMissingApi(terms.error)) {
    return (
      <>
        <PageHeader title={t('glossary.title')} sub={t('glossary.help')} />
        <Placeholder what="/api/glossary" />
      </>
    );
  }

  const save = async (term: Term) => {
    setError(null);
    try {
      if (term.id)
        await api('PUT', `/api/glossary/${encodeURIComponent(term.id)}`, {
          body: body(term),
          ifMatch: term.version !== undefined ? `"${term.version}"` : undefined,
        });
      else await api('POST', '/api/glossary', { body: body(term) });
      setEditing(null);
      terms.reload();
    } catch (err) {
      setError(err);
    }
  };

  const remove = async (term: Term) => {
    if (!term.id || !confirm(t('confirm'))) return;
    try {
      await api('DELETE', `/api/glossary/${encodeURIComponent(term.id)}`);
      terms.reload();
    } catch (err) {
      setError(err);
    }
  };

  const importFile = async (file: File) => {
    setError(null);
    const text = await file.text();
    let entries: unknown[];
    if (/\.json$/i.test(file.name)) {
      // An export of /api/glossary/export re-imports as is (ids merge onto existing terms).
      entries = JSON.parse(text) as unknown[];
    } else {
      const [header, ...rows] = parseCsv(text);
      const col = (name: string) => header.findIndex((h) => h.trim() === name);
      entries = rows.map((r) =>
        body({
          ja: r[col('ja')],
          th: r[col('th')],
          en: r[col('en')],
          doNotTranslate: /^(1|true|yes)$/i.test(r[col('doNotTranslate')] ?? ''),
          note: r[col('note')],
        }),
      );
    }
    setProgress(`${entries.length} …`);
    try {
      await api('POST', '/api/glossary/import', { body: entries });
    } catch (err) {
      setError(err);
    } finally {
      setProgress('');
      terms.reload();
    }
  };

  const exportCsv = () => {
    const lines = [['ja', 'th', 'en', 'doNotTranslate', 'note'].join(',')];
    for (const term of terms.data?.items ?? [])
      lines.push(
        [term.ja ?? '', term.th ?? '', term.en ?? '', String(term.doNotTranslate), term.note ?? '']
          .map(csvCell)
          .join(','),
      );
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob(['\ufeff' + lines.join('\n') + '\n'], { type: 'text/csv' }));
    a.download = 'glossary.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <>
      <PageHeader title={t('glossary.title')} sub={t('glossary.help')}>
        <button class="btn" onClick={exportCsv} disabled={!terms.data?.items.length}>
          {t('exportTerms')}
        </button>
        {canEdit && (
          <label class="btn">
            {t('importTerms')}
            <input
              type="file"
              class="sr-only"
              accept=".csv,.json"
              onChange={(e) =>
                (e.target as HTMLInputElement).files?.[0] &&
                void importFile((e.target as HTMLInputElement).files![0])
              }
            />
          </label>
        )}
        {canEdit && (
          <button class="btn btn-primary" onClick={() => setEditing({ doNotTranslate: false })}>
            + {t('addTerm')}
          </button>
        )}
      </PageHeader>
      <div class="filters">
        <input
          type="search"
          class="search"
          placeholder={t('search')}
          aria-label={t('search')}
          value={q}
          onChange={(e) => setQ((e.target as HTMLInputElement).value)}
        />
        <a class="btn btn-small" href="/api/glossary/export" download>
          JSON
        </a>
      </div>
      {progress && <div class="alert alert-info">{progress}</div>}
      <ErrorBox error={error ?? terms.error} />
      {!terms.data && !terms.error && <Loading />}
      <div class="table-scroll">
        <table class="grid">
          <thead>
            <tr>
              {LANGS.map((l) => (
                <th key={l}>{t(`lang.${l}`)}</th>
              ))}
              <th>{t('doNotTranslate')}</th>
              <th>{t('note')}</th>
              {canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {editing && !editing.id && (
              <TermRow term={editing} onSave={(x) => void save(x)} onCancel={() => setEditing(null)} />
            )}
            {terms.data?.items.map((term) =>
              editing && editing.id === term.id ? (
                <TermRow
                  key={term.id}
                  term={editing}
                  onSave={(x) => void save(x)}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <tr key={term.id}>
                  {LANGS.map((l) => (
                    <td key={l} lang={l}>
                      {term[l] ?? '—'}
                    </td>
                  ))}
                  <td>{term.doNotTranslate && <Badge tone="warn">{t('doNotTranslate')}</Badge>}</td>
                  <td class="muted">{term.note}</td>
                  {canEdit && (
                    <td class="nowrap">
                      <button class="link" onClick={() => setEditing(term)}>
                        {t('edit')}
                      </button>{' '}
                      <button class="link danger" onClick={() => void remove(term)}>
                        {t('delete')}
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TermRow(props: { term: Term; onSave: (t: Term) => void; onCancel: () => void }) {
  const [term, setTerm] = useState(props.term);
  return (
    <tr class="editing">
      {LANGS.map((l: Lang) => (
        <td key={l}>
          <input
            lang={l}
            aria-label={l}
            value={term[l] ?? ''}
            onInput={(e) => setTerm({ ...term, [l]: (e.target as HTMLInputElement).value })}
          />
        </td>
      ))}
      <td>
        <input
          type="checkbox"
          aria-label={t('doNotTranslate')}
          checked={term.doNotTranslate}
          onChange={(e) => setTerm({ ...term, doNotTranslate: (e.target as HTMLInputElement).checked })}
        />
      </td>
      <td>
        <input
          aria-label={t('note')}
          value={term.note ?? ''}
          onInput={(e) => setTerm({ ...term, note: (e.target as HTMLInputElement).value })}
        />
      </td>
      <td class="nowrap">
        <button class="btn btn-small btn-primary" onClick={() => props.onSave(term)}>
          {t('save')}
        </button>{' '}
        <button class="btn btn-small" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </td>
    </tr>
  );
}
