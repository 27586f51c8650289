import { useCallback, useEffect, useState } from 'react';
import type { Api, AuditRecord } from '../api/client';
import { ACTION_LABEL, describeChange } from '../console';

const PAGE = 20;
const REFRESH_MS = 5_000;
// The server answers pages of up to 100: the panel reads the newest PAGE × pages in one.

/**
 * The audit log, newest first: every operator's change with its time and the fields it altered. Read again after each
 * change made here (`version`) and every few seconds, for changes made elsewhere.
 */
export function AuditPanel({ api, version, nameOf }: { api: Api; version: number; nameOf: (id: string) => string | undefined }) {
  const [items, setItems] = useState<AuditRecord[]>([]);
  const [pages, setPages] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await api.auditLog(0, PAGE * pages);
      setItems(page.items ?? []);
      setHasMore(page.hasMore ?? false);
      setError(null);
    } catch {
      setError('The audit log could not be read; trying again.');
    }
  }, [api, pages]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, version]);

  return (
    <section className="audit" aria-labelledby="audit-heading" data-testid="audit">
      <h2 id="audit-heading">Audit log</h2>
      {error && <p className="error">{error}</p>}
      {items.length === 0 && !error && <p className="muted">No changes yet.</p>}
      <ol>
        {items.map((record, i) => (
          <li key={`${record.at}-${i}`} data-action={record.action}>
            <span className="audit-head">
              <time dateTime={record.at}>{record.at ? new Date(record.at).toLocaleTimeString() : ''}</time>
              <strong>{ACTION_LABEL[record.action ?? ''] ?? record.action}</strong>
              {record.productId && <span>{nameOf(record.productId) ?? record.productId.slice(0, 8)}</span>}
            </span>
            <span className="muted audit-fields">{describeChange(record.before, record.after).join(' · ')}</span>
          </li>
        ))}
      </ol>
      {hasMore && pages * PAGE < 100 && <button type="button" className="ghost" onClick={() => setPages((p) => p + 1)}>Show older</button>}
    </section>
  );
}
