// The gridgov API from the browser: JSON in and out, the session cookie sent by the browser,
// errors turned into ApiError with the server's code and field.
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public field?: string) {
    super(message);
  }
}

export interface User {
  id: number;
  login: string;
  name: string;
  phone: string | null;
  role: string;
  role_label: string;
  scope_node_id: number | null;
  department_id: number | null;
  active: boolean;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Principal {
  kind: 'user' | 'api_key';
  id: number;
  login: string;
  name: string;
  role: string;
  role_label: string;
  scope_node_id: number | null;
  department_id: number | null;
  permissions: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  ip: string;
  request_id: string;
  detail: string;
}

export interface ApiKey {
  id: number;
  prefix: string;
  name: string;
  role: string;
  scope_node_id: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  key?: string;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'internal', e.message ?? res.statusText, e.field);
  }
  return data as T;
}

export const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
