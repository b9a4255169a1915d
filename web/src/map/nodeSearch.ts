// Finding a node of the grid tree by name or code, as suggestions for an autocomplete box: the
// grid map and the command centre both jump to what is found.
import { api } from '../api';

export interface NodeSuggestion { value: string; id: number }

export async function suggestNodes(text: string, callback: (items: NodeSuggestion[]) => void) {
  if (!text.trim()) return callback([]);
  try {
    const found = await api<{ items: { id: number; code: string; name: string; level_label: string }[] }>(
      'GET', `/api/v1/grid/nodes?q=${encodeURIComponent(text.trim())}&limit=20`);
    callback(found.items.map((n) => ({ value: `${n.name}（${n.level_label} ${n.code}）`, id: n.id })));
  } catch {
    callback([]);
  }
}
