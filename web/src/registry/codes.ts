// Code tables of the registry (GB/T 31000 and common practice), fetched once per table and shown
// in the interface's language.
import { ref, type Ref } from 'vue';
import { api } from '../api';

export interface CodeEntry { code: string; name: string; name_en: string }

const cache = new Map<string, Ref<CodeEntry[]>>();

export function codeTable(name: string): Ref<CodeEntry[]> {
  let entries = cache.get(name);
  if (!entries) {
    entries = ref<CodeEntry[]>([]);
    cache.set(name, entries);
    const target = entries;
    api<{ items: CodeEntry[] }>('GET', `/api/v1/code-tables/${name}`).then((r) => { target.value = r.items; }).catch(() => cache.delete(name));
  }
  return entries;
}

export function codeName(entries: CodeEntry[], code: string | null | undefined, locale: string): string {
  if (!code) return '—';
  const e = entries.find((x) => x.code === code);
  return e ? (locale.startsWith('zh') ? e.name : e.name_en) : code;
}
