import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { queueSummary, sparkline, type DashboardMessage } from '../dashboard';
import { Api, ApiError, type Product } from '../api/client';
import { ServerClock } from '../clock';
import { dropState, pinLive } from '../console';
import { useDashboardStream } from '../hooks/useDashboardStream';
import { AuditPanel } from './AuditPanel';
import { DropForm, type DropSave } from './DropForm';
import { ManageDialog, type RunAction } from './ManageDialog';
import { ResetDialog } from './ResetDialog';

const KEY = 'flashsale.adminKey';
const CATALOGUE_REFRESH_MS = 5_000;

function Spark({ values, label }: { values: number[]; label: string }) {
  return (
    <svg className="spark" width="96" height="24" viewBox="0 0 96 24" role="img" aria-label={label}>
      <polyline points={sparkline(values, 96, 22)} fill="none" stroke="currentColor" strokeWidth="1.5" transform="translate(0,1)" />
    </svg>
  );
}

/** A figure with its last minute's chart beside it; the figure has a fixed width, so the charts line up. */
function Cell({ label, testId, value, extra, series, chart }: { label: string; testId?: string; value: number; extra?: string; series?: number[]; chart?: string }) {
  return (
    <td data-label={label}>
      <span className="cell">
        <span className="figure-box"><span className="figure" data-testid={testId}>{value}</span>{extra && <span className="muted">{extra}</span>}</span>
        {series && chart && <Spark values={series} label={chart} />}
      </span>
    </td>
  );
}

/**
 * The operator's console: sign in with the admin key (kept for this tab only, in sessionStorage), then every drop live
 * (books and hold traffic pushed every second over /ws/admin, live drops on top), preparing one (the drop form), running
 * it (restock, limit, pause / resume admissions, end the sale: each confirmed), and the audit log of every change.
 */
export function Dashboard() {
  const [key, setKey] = useState<string | null>(sessionStorage.getItem(KEY));
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [products, setProducts] = useState<Record<string, Product>>({});
  const [managing, setManaging] = useState<string | null>(null);
  const [editing, setEditing] = useState<Product | null | undefined>(undefined); // undefined: the form is closed
  const [version, setVersion] = useState(0);
  const { status, rows, history, resetAvailable, show } = useDashboardStream(key);
  const clock = useMemo(() => new ServerClock(), []);
  const api = useMemo(() => new Api(clock, () => key), [clock, key]);

  const loadProducts = useCallback(async () => {
    const list = await api.listProducts();
    setProducts(Object.fromEntries(list.map((p) => [p.id ?? '', p])));
  }, [api]);

  // Read at sign-in, then every few seconds: a draw's seed, a change made in another tab.
  useEffect(() => {
    if (!key) return;
    void loadProducts().catch(() => setNotice('The catalogue could not be read.'));
    const timer = setInterval(() => void loadProducts().catch(() => {}), CATALOGUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [key, loadProducts]);
  // A product the live figures name that this page has not read yet (created elsewhere): read the catalogue again.
  const unknown = rows.some((row) => !products[row.productId]);
  useEffect(() => {
    if (key && unknown) void loadProducts().catch(() => {});
  }, [key, unknown, loadProducts]);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    const response = await fetch('/api/admin/dashboard', { headers: { Authorization: `Bearer ${draft}` } });
    if (!response.ok) {
      setError(response.status === 401 || response.status === 403 ? 'That is not the admin key.' : `The server answered ${response.status}.`);
      return;
    }
    const figures = (await response.json()) as DashboardMessage;
    sessionStorage.setItem(KEY, draft);
    show(figures);
    setError(null);
    setKey(draft);
  };

  /** After a change: the catalogue and the audit log read again, and the operator told. */
  const changed = async (message: string) => {
    await loadProducts();
    setVersion((v) => v + 1);
    setNotice(message);
  };

  const reset = async () => {
    try {
      await api.resetDemo(key ?? '');
      setResetOpen(false);
      await changed('Demo data reset.');
    } catch (failure) {
      setNotice(failure instanceof ApiError ? failure.message : 'The reset failed.');
    }
  };

  const now = clock.now();
  const table = pinLive(rows.filter((row) => products[row.productId]).map((row) => {
    const product = products[row.productId];
    return { row, product, state: dropState(product, row, now) };
  }));
  const managed = managing ? products[managing] ?? null : null;
  const managedRow = table.find((t) => t.product.id === managing);

  const run = async (action: RunAction) => {
    const id = managing ?? '';
    const name = managed?.name ?? '';
    switch (action.kind) {
      case 'restock': await api.restock(id, action.quantity); break;
      case 'limit': await api.updateProduct(id, { maxPerShopper: action.maxPerShopper }); break;
      case 'pause': await api.pauseQueue(id, true); break;
      case 'resume': await api.pauseQueue(id, false); break;
      case 'end': await api.endSale(id); break;
    }
    setManaging(null);
    await changed({ restock: `Restocked ${name}.`, limit: `Changed the limit of ${name}.`, pause: `Paused admissions of ${name}.`,
      resume: `Resumed admissions of ${name}.`, end: `Ended the sale of ${name}.` }[action.kind]);
  };

  const save = async ({ create, changes }: DropSave) => {
    if (create) {
      const product = await api.createProduct(create);
      setEditing(undefined);
      await changed(`Created ${product.name}.`);
    } else if (changes && editing) {
      const product = await api.updateProduct(editing.id ?? '', changes);
      setEditing(undefined);
      await changed(`Saved ${product.name}.`);
    }
  };

  if (!key) {
    return (
      <main className="dashboard">
        <h1>Operator console</h1>
        <form className="admin-key" onSubmit={signIn}>
          <label htmlFor="admin-key">Admin key</label>
          <input id="admin-key" type="password" autoComplete="off" value={draft} onChange={(e) => setDraft(e.target.value)} required />
          <button type="submit" className="primary">Open</button>
          {error && <p role="alert" className="error">{error}</p>}
        </form>
        <p><a href="#">Back to the shop</a></p>
      </main>
    );
  }

  return (
    <main className="dashboard">
      <header className="dashboard-head">
        <h1>Operator console</h1>
        <span className={`live live-${status}`} data-testid="dashboard-status"><span className="dot" aria-hidden="true" />{status === 'live' ? 'Live' : 'Reconnecting…'}</span>
        <button type="button" className="primary" onClick={() => setEditing(null)}>New drop</button>
        <a href="#">Back to the shop</a>
        {resetAvailable && <button type="button" className="link" onClick={() => setResetOpen(true)}>Reset demo data</button>}
        <button type="button" className="link" onClick={() => { sessionStorage.removeItem(KEY); setKey(null); }}>Sign out</button>
      </header>
      <p role="status" className="muted" data-testid="console-notice">{notice}</p>
      {resetAvailable && <ResetDialog open={resetOpen} onReset={reset} onClose={() => setResetOpen(false)} />}
      <DropForm open={editing !== undefined} product={editing ?? null} onClose={() => setEditing(undefined)} onSave={save} />
      <ManageDialog open={managed !== null} product={managed} state={managedRow?.state ?? null} paused={managedRow?.row.queue?.paused ?? false}
        onClose={() => setManaging(null)} onEdit={() => { setEditing(managed); setManaging(null); }} onRun={run} />
      <table className="figures">
        <caption>Per product, live drops first, updated every second (charts: the last minute)</caption>
        <thead>
          <tr>
            <th scope="col">Product</th><th scope="col">State</th><th scope="col">Available</th><th scope="col">Held</th><th scope="col">Sold</th>
            <th scope="col">Reserves/s</th><th scope="col">Expired/s</th><th scope="col">Expiry lag</th>
            <th scope="col">Waiting room</th>
          </tr>
        </thead>
        <tbody>
          {table.map(({ row, product, state }) => {
            const series = history[row.productId];
            return (
              <tr key={row.productId} data-product-id={row.productId} data-state={state}>
                <th scope="row">
                  <span className="row-name">{row.name}</span>
                  <button type="button" className="link manage" aria-label={`Manage ${row.name}`} onClick={() => setManaging(row.productId)}>Manage</button>
                </th>
                <td data-label="State" data-testid="state"><span className={`state state-${state.replace(' ', '-')}`}>{state}</span>
                  {row.queue?.paused && <span className="state state-paused"> paused</span>}</td>
                <Cell label="Available" testId="available" value={row.availableStock} extra={` / ${row.totalStock}`} series={series?.available} chart={`Available of ${row.name}, last minute`} />
                <Cell label="Held" testId="held" value={row.held} series={series?.held} chart={`Held of ${row.name}, last minute`} />
                <Cell label="Sold" testId="sold" value={row.sold} />
                <Cell label="Reserves/s" value={row.createdPerSecond} series={series?.created} chart={`Holds created per second of ${row.name}, last minute`} />
                <Cell label="Expired/s" value={row.expiredPerSecond} series={series?.expired} chart={`Holds expired per second of ${row.name}, last minute`} />
                <td data-label="Expiry lag">{row.expiryLagMillis == null ? '—' : `${row.expiryLagMillis} ms`}</td>
                <td data-label="Waiting room" data-testid="queue">{queueSummary(row.queue)}
                  {product.drawSeed && <span className="muted draw"> · draw {product.drawSeed.slice(0, 8)}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <AuditPanel api={api} version={version} nameOf={(id) => products[id]?.name} />
    </main>
  );
}
