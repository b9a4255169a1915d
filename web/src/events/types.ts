// The shapes of events as the API returns them.
export interface Assignment {
  id: number;
  department_id: number;
  department_name: string;
  status: string;
  due: string;
  signed_at: string | null;
  handled_at: string | null;
  extension_hours: number | null;
  extension_reason: string | null;
  extensions: number;
}

export interface Deadline { stage: string; due: string; colour: 'green' | 'yellow' | 'red'; used: number }

export interface EventAction {
  seq: number;
  action: string;
  actor_kind: string;
  actor_name: string | null;
  actor_role: string | null;
  at: string;
  from_status: string | null;
  to_status: string;
  note: string;
  data: Record<string, unknown>;
  hash: string;
}

export interface GovEvent {
  id: number;
  tracking_code: string;
  channel: string;
  channel_label: string;
  title: string;
  description: string;
  category_code: string | null;
  category_name: string | null;
  status: string;
  status_label: string;
  priority: number | null;
  location: [number, number] | null;
  address: string | null;
  node_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  rework_count: number;
  escalations: number;
  reopened: number;
  supervised: boolean;
  satisfaction: string | null;
  reported_at: string;
  handle_due: string | null;
  deadline: Deadline | null;
  assignments: Assignment[];
  version: number;
  timeline?: EventAction[];
  possible_duplicates?: { id: number; title: string; status_label: string; reported_at: string; distance_m: number }[];
}

export interface Category {
  code: string;
  name: string;
  name_en: string;
  department_kind: string | null;
  handling_level: number | null;
  minors?: Category[];
}

export const local = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';

export const colourTag = (c?: string) => (c === 'red' ? 'danger' : c === 'yellow' ? 'warning' : 'success');

export interface EventAttachment { id: number; file_name: string; content_type: string; size: number; public: boolean; url: string }
