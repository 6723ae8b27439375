import type { FieldError } from './field-errors';
/** A problem+json answer from the API, with the per-field errors the forms show beside their inputs. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      type?: string;
      title?: string;
      detail?: string;
      errors?: FieldError[];
      [k: string]: unknown;
    },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  get kind(): string {
    return (this.problem.type ?? '').split('/').pop() ?? '';
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => undefined;

/** The session's CSRF token, sent on every state-changing request (the cookie itself is HttpOnly). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function onSessionLost(handler: () => void): void {
  onUnauthenticated = handler;
}

export interface ApiResponse<T> {
  data: T;
  etag?: string;
  status: number;
}

export async function api<T>(
  method: string,
  path: string,
  options: { body?: unknown; ifMatch?: string; contentType?: string; raw?: BodyInit } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/console/session')) onUnauthenticated();
    throw new ApiError(res.status, (data as ApiError['problem']) ?? { title: res.statusText });
  }
  return { data: data as T, etag: res.headers.get('ETag') ?? undefined, status: res.status };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 300) };
  }
}

/**
 * Upload with progress (fetch cannot report upload progress; XMLHttpRequest can). Used for large imports.
 */
export function upload<T>(
  path: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ApiResponse<T>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, { title: 'Network error' }));
    xhr.onload = () => {
      const data = xhr.responseText ? safeJson(xhr.responseText) : undefined;
      if (xhr.status >= 200 && xhr.status < 300) resolve({ data: data as T, status: xhr.status });
      else {
        if (xhr.status === 401) onUnauthenticated();
        reject(new ApiError(xhr.status, (data as ApiError['problem']) ?? {}));
      }
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
