// The figures API as the command centre reads it (docs/figures.md), and the live stream.
import { api, query } from '../api';

export interface Figures {
  intake: number; cancelled: number; accepted: number; resolved_on_spot: number; should_close: number; closed: number;
  closed_on_time: number; reworked: number; open: number; overdue: number; evaluated: number; satisfied: number;
  closure_rate: number | null; on_time_closure_rate: number | null; rework_rate: number | null; satisfaction_rate: number | null;
}
export interface FiguresGroup extends Figures { key: string; name?: string }
export interface FiguresAnswer { node_id: number; name: string; since: string; until: string; total: Figures; groups: FiguresGroup[] }
export interface Summary { node_id: number; day: string; today: Figures; open_now: number; overdue_now: number; by_status: Record<string, number>; version: number }
export interface StatusAnswer { node_id: number; columns: string[]; rows: [number, string, string, number, number][]; nodes: Record<string, string>; categories: Record<string, string> }
export interface DepartmentRow { department_id: number; name: string; dispatched: number; handled: number; handled_on_time: number; returned: number; open: number; overdue: number; on_time_rate: number | null }
export interface TrendPoint { key: string; reported: number; closed: number }

export const OPEN_STATUSES = ['reported', 'accepted', 'dispatched', 'in_progress', 'handled'];

export const figures = (node: number, by: string, since?: string) =>
  api<FiguresAnswer>('GET', `/api/v1/figures${query({ node_id: node, by, since })}`);
export const status = (node: number, level?: number) =>
  api<StatusAnswer>('GET', `/api/v1/figures/status${query({ node_id: node, level, by_category: 'true' })}`);
export const departments = (node: number, since: string) =>
  api<{ items: DepartmentRow[] }>('GET', `/api/v1/figures/departments${query({ node_id: node, since })}`);
export const trend = (node: number) => api<{ points: TrendPoint[] }>('GET', `/api/v1/figures/trend${query({ node_id: node })}`);

// The node's summary, pushed within a second of any change; the returned function closes it. A
// stream refused (the figures still being counted after a start) or cut is opened again.
export function follow(node: number, onSummary: (s: Summary) => void): () => void {
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const open = () => {
    source = new EventSource(`/api/v1/figures/stream?node_id=${node}`);
    source.addEventListener('figures', (e) => onSummary(JSON.parse((e as MessageEvent).data)));
    // the browser retries a dropped stream itself, but not one answered with an error status
    source.onerror = () => {
      if (closed || source?.readyState !== EventSource.CLOSED) return;
      retry = setTimeout(open, 2000);
    };
  };
  open();
  return () => { closed = true; clearTimeout(retry); source?.close(); };
}

export const percent = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
export const firstOfMonth = () => {
  const now = new Date(Date.now() + 8 * 3600e3);  // China time
  return `${now.toISOString().slice(0, 7)}-01`;
};
