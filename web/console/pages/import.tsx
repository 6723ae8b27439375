import { useState } from 'preact/hooks';
import { upload } from '../api';
import { ErrorBox, PageHeader } from '../components';
import { type FieldError, describeFieldError, fieldName } from '../field-errors';
import { t, useLang } from '../i18n';
import { can, useStaff } from '../session';

interface ImportReport {
  dryRun: boolean;
  total: number;
  valid: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: Array<{ row: number; line?: number; externalId?: string; errors: FieldError[] }>;
  written: boolean;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; fraction: number; label: string }
  | { kind: 'checking'; label: string };

/** Where a rejected row is: the line of a CSV file, the entry of a JSON array. */
const where = (r: { row: number; line?: number }) =>
  r.line !== undefined ? t('import.line', { n: r.line }) : t('import.entry', { n: r.row });

/**
 * Upload → dry run (every invalid row listed with why) → the curator decides → import. The file is sent twice
 * rather than held on the server, so nothing half-imported can ever linger.
 */
export function ImportPage() {
  useLang();
  const staff = useStaff();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canImport = can(staff, 'curator');

  const send = async (f: File, query: string, label: string): Promise<ImportReport> => {
    setPhase({ kind: 'uploading', fraction: 0, label });
    try {
      const res = await upload<ImportReport>(`/api/companies/import?${query}`, f, (fraction) =>
        setPhase(fraction >= 1 ? { kind: 'checking', label } : { kind: 'uploading', fraction, label }),
      );
      return res.data;
    } finally {
      setPhase({ kind: 'idle' });
    }
  };

  const check = async (f: File) => {
    setFile(f);
    setPreview(null);
    setDone(null);
    setError(null);
    try {
      setPreview(await send(f, 'dryRun=true', t('validating')));
    } catch (err) {
      setError(err);
    }
  };

  const commit = async () => {
    if (!file || !preview) return;
    setError(null);
    try {
      setDone(await send(file, preview.rejected.length ? 'skipInvalid=true' : '', t('importing')));
      setPreview(null);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader title={t('nav.import')} />
      <section class="card">
        <h2>{t('import.title')}</h2>
        <p class="muted">{t('import.help')}</p>
        {canImport ? (
          <label class="file-drop">
            <input
              type="file"
              accept=".csv,.json,text/csv,application/json"
              data-testid="import-file"
              onChange={(e) => {
                const f = (e.target as HTMLInputElement).files?.[0];
                if (f) void check(f);
              }}
            />
            <span>{file ? `${file.name} (${(file.size / 1024).toFixed(1)} KB)` : t('chooseFile')}</span>
          </label>
        ) : (
          <div class="alert alert-info">{t('forbidden')}</div>
        )}
        {phase.kind !== 'idle' && (
          <div class="progress" data-testid="import-progress">
            <div
              class={`progress-bar ${phase.kind === 'checking' ? 'indeterminate' : ''}`}
              style={{ width: phase.kind === 'uploading' ? `${Math.round(phase.fraction * 100)}%` : '100%' }}
            />
            <span>
              {phase.kind === 'uploading'
                ? t('uploading', { p: Math.round(phase.fraction * 100) })
                : phase.label}
            </span>
          </div>
        )}
        <ErrorBox error={error} />
        {preview && (
          <div class="import-preview" data-testid="import-preview">
            <p class={preview.rejected.length ? 'alert alert-warn' : 'alert alert-ok'}>
              {t('import.summary', {
                total: preview.total,
                valid: preview.valid,
                rejected: preview.rejected.length,
                created: preview.created,
                updated: preview.updated,
                unchanged: preview.unchanged,
              })}
            </p>
            {preview.rejected.length > 0 && (
              <>
                <h3>{t('import.invalidRows')}</h3>
                <div class="table-scroll">
                  <table class="grid" data-testid="rejected-rows">
                    <thead>
                      <tr>
                        <th>{t('import.where')}</th>
                        <th>ID</th>
                        <th>{t('field')}</th>
                        <th>{t('reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {preview.rejected.flatMap((r) =>
                        r.errors.map((e, i) => (
                          <tr key={`${r.row}-${i}`} data-row={r.row} data-line={r.line}>
                            <td class="nowrap">{where(r)}</td>
                            <td class="mono">{r.externalId ?? '—'}</td>
                            <td title={e.path}>{fieldName(e.path)}</td>
                            <td title={e.message}>{describeFieldError(e, where)}</td>
                          </tr>
                        )),
                      )}
                    </tbody>
                  </table>
                </div>
              </>
            )}
            <div class="actions">
              {preview.valid > 0 && (
                <button
                  class="btn btn-primary"
                  data-testid="import-confirm"
                  disabled={phase.kind !== 'idle'}
                  onClick={() => void commit()}
                >
                  {preview.rejected.length
                    ? t('importValid', { n: preview.valid, m: preview.rejected.length })
                    : t('importAll', { n: preview.valid })}
                </button>
              )}
              <button class="btn" onClick={() => (setPreview(null), setFile(null))}>
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
        {done && (
          <p class="alert alert-ok" data-testid="import-done">
            {t('import.done', {
              created: done.created,
              updated: done.updated,
              unchanged: done.unchanged,
              skipped: done.rejected.length,
            })}
          </p>
        )}
      </section>
      <section class="card">
        <h2>{t('export.title')}</h2>
        <p class="muted">{t('export.help')}</p>
        <div class="actions">
          <a class="btn" href="/api/companies/export?format=csv" download>
            CSV
          </a>
          <a class="btn" href="/api/companies/export?format=json" download>
            JSON
          </a>
        </div>
      </section>
    </>
  );
}
