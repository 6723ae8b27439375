import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { describeFieldError } from './field-errors';
import { t } from './i18n';

export function Badge(props: {
  tone?: 'ok' | 'warn' | 'bad' | 'info' | 'muted';
  children: ComponentChildren;
  title?: string;
}) {
  return (
    <span class={`badge badge-${props.tone ?? 'muted'}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'published' ? 'ok' : status === 'archived' ? 'muted' : 'info';
  return <Badge tone={tone}>{t(`status.${status}` as 'status.draft')}</Badge>;
}

/**
 * A failed call, said in the UI language. With `fields`, a validation problem lists what is wrong with each field
 * (for forms that show no errors beside their inputs); without, its one-line detail.
 */
export function ErrorBox({
  error,
  onRetry,
  fields,
}: {
  error: unknown;
  onRetry?: () => void;
  fields?: boolean;
}) {
  if (!error) return null;
  const fieldErrors = fields && error instanceof ApiError ? (error.problem.errors ?? []) : [];
  const message =
    error instanceof ApiError
      ? error.status === 403
        ? `${t('forbidden')} ${error.problem.detail ?? ''}`
        : (error.problem.detail ?? error.problem.title ?? error.message)
      : String((error as Error).message ?? error);
  return (
    <div class="alert alert-bad" role="alert">
      {fieldErrors.length > 0 ? (
        <ul class="field-errors">
          {fieldErrors.map((e) => (
            <li key={e.path}>{describeFieldError(e, ({ row }) => String(row))}</li>
          ))}
        </ul>
      ) : (
        message
      )}
      {onRetry && (
        <button class="btn btn-small" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  return <div class="loading">{t('loading')}</div>;
}

export function PageHeader(props: { title: string; children?: ComponentChildren; sub?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.sub && <p class="sub">{props.sub}</p>}
      </div>
      <div class="page-actions">{props.children}</div>
    </header>
  );
}

export function Pager(props: { page: number; totalPages: number; onPage: (p: number) => void }) {
  return (
    <div class="pager">
      <button class="btn btn-small" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        ‹ {t('prev')}
      </button>
      <span>{t('pageOf', { p: props.page, n: props.totalPages })}</span>
      <button
        class="btn btn-small"
        disabled={props.page >= props.totalPages}
        onClick={() => props.onPage(props.page + 1)}
      >
        {t('next')} ›
      </button>
    </div>
  );
}

/** Loads data for a page and re-loads when `deps` change; keeps the previous data while loading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}

/** A not-yet-built backend (404 on its API) is shown as such, never as fake data. */
export function isMissingApi(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.status === 404 || error.status === 405) && error.kind !== 'not-found'
  );
}

export function Placeholder({ what }: { what: string }) {
  return (
    <div class="placeholder">
      <p>{t('notInstalled', { what })}</p>
    </div>
  );
}

/** Minimal horizontal bar chart in SVG-free CSS: light, accessible (numbers are text), no chart library. */
export function Bars(props: { rows: Array<{ label: string; value: number; tone?: string }>; unit?: string }) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <div class="bars">
      {props.rows.map((r) => (
        <div class="bar-row" key={r.label}>
          <span class="bar-label">{r.label}</span>
          <span class="bar-track">
            <span class={`bar-fill ${r.tone ?? ''}`} style={{ width: `${(100 * r.value) / max}%` }} />
          </span>
          <span class="bar-value">
            {r.value.toLocaleString()}
            {props.unit ?? ''}
          </span>
        </div>
      ))}
    </div>
  );
}
