// The phone's outbox: what a grid worker records (reports, patrols and their tracks, visits,
// check-ins) is kept in IndexedDB and sent in order whenever there is a connection, each with its
// own Idempotency-Key so that a send repeated after a lost answer is the same record, and with
// the time it was made in its body. A later item may name an earlier one's server id before it
// exists ("{ref:KEY}" in its path or body), as the points of a patrol started offline do.
import { reactive, toRaw } from 'vue';

export interface OutboxItem {
  key: string;  // the Idempotency-Key, also the name later items refer to
  method: string;
  path: string;
  body?: unknown;
  label: string;  // what it is, for the worker
  made: string;   // when it was made (ISO)
  photos?: Blob[];  // sent to the event the item makes, after it
  photosSent?: number;
}

export const outbox = reactive({ pending: [] as OutboxItem[], sending: false, lastSent: '' as string, lastError: '' as string, online: navigator.onLine });

const DB = 'gridgov-outbox';
function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('items', { keyPath: 'seq', autoIncrement: true });
      req.result.createObjectStore('ids', { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function tx<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    const req = fn(t.objectStore(store));
    t.oncomplete = () => resolve(req.result);
    t.onerror = () => reject(t.error);
  });
}

type Stored = OutboxItem & { seq: number };
async function load(): Promise<Stored[]> {
  return tx<Stored[]>('items', 'readonly', (s) => s.getAll() as IDBRequest<Stored[]>);
}
async function refresh() {
  outbox.pending = await load();
}

export const newKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(2)).join('')}`;

// Keeps the item and sends what is waiting (at once when online).
export async function enqueue(item: OutboxItem) {
  // plain data only: IndexedDB keeps copies, not the page's reactive objects
  const plain: OutboxItem = { ...item, body: item.body === undefined ? undefined : JSON.parse(JSON.stringify(item.body)),
    photos: item.photos ? Array.from(toRaw(item.photos), (p) => toRaw(p)) : undefined };
  await tx('items', 'readwrite', (s) => s.add(plain));
  await refresh();
  void flush();
}

async function idOf(key: string): Promise<number | undefined> {
  const row = await tx<{ key: string; id: number } | undefined>('ids', 'readonly', (s) => s.get(key) as IDBRequest<{ key: string; id: number } | undefined>);
  return row?.id;
}
// "{ref:KEY}" → the id the server gave KEY's item
async function resolveRefs(text: string): Promise<string | null> {
  let out = text;
  for (const m of text.matchAll(/"?\{ref:([^}]+)\}"?/g)) {
    const id = await idOf(m[1]);
    if (id === undefined) return null;
    out = out.replace(m[0], String(id));
  }
  return out;
}

async function send(item: Stored): Promise<boolean> {
  const path = await resolveRefs(item.path);
  const body = item.body === undefined ? undefined : await resolveRefs(JSON.stringify(item.body));
  if (path === null || body === null) return false;  // waits for what it refers to
  const res = await fetch(path, {
    method: item.method,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.key },
    body: body ?? undefined,
    credentials: 'same-origin',
  });
  if (res.status >= 500 || res.status === 401 || res.status === 429) throw new Error(`${res.status}`);
  const answer = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) {
    // refused for good (bad input): dropped, and said so
    outbox.lastError = `${item.label}: ${answer?.error?.message ?? res.status}`;
    return true;
  }
  if (answer?.id !== undefined) await tx('ids', 'readwrite', (s) => s.put({ key: item.key, id: answer.id }));
  // the photos of a report, one after another; those sent are not sent again
  for (let i = item.photosSent ?? 0; i < (item.photos?.length ?? 0); ++i) {
    const photo = item.photos![i];
    const up = await fetch(`/api/v1/events/${answer.id}/attachments?name=${encodeURIComponent(`现场照片-${i + 1}.jpg`)}`, {
      method: 'POST', body: photo, headers: { 'Content-Type': photo.type || 'image/jpeg' }, credentials: 'same-origin',
    });
    if (!up.ok && up.status >= 500) throw new Error(`${up.status}`);
    item.photosSent = i + 1;
    await tx('items', 'readwrite', (s) => s.put(item));
  }
  return true;
}

// Sends the waiting items in order; stops at the first that cannot go yet.
export async function flush() {
  if (outbox.sending || !navigator.onLine) return;
  outbox.sending = true;
  try {
    for (const item of await load()) {
      const done = await send(item).catch(() => false);
      if (!done) break;
      await tx('items', 'readwrite', (s) => s.delete(item.seq));
      outbox.lastSent = new Date().toLocaleTimeString('zh-CN', { hour12: false });
    }
  } finally {
    outbox.sending = false;
    await refresh();
  }
}

addEventListener('online', () => { outbox.online = true; void flush(); });
addEventListener('offline', () => { outbox.online = false; });
setInterval(() => void flush(), 15000);
void refresh();
