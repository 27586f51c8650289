import { useState, type FormEvent } from 'react';
import { queueSummary, sparkline, type DashboardMessage } from '../dashboard';
import { Api, ApiError } from '../api/client';
import { ServerClock } from '../clock';
import { useDashboardStream } from '../hooks/useDashboardStream';
import { ResetDialog } from './ResetDialog';

const KEY = 'flashsale.adminKey';

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

/** The operator's live view: books and hold traffic per product, pushed every second over /ws/admin. */
export function Dashboard() {
  const [key, setKey] = useState<string | null>(sessionStorage.getItem(KEY));
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { status, rows, history, resetAvailable, show } = useDashboardStream(key);

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

  const reset = async () => {
    try {
      await new Api(new ServerClock(), () => null).resetDemo(key ?? '');
      setNotice('Demo data reset.');
      setResetOpen(false);
    } catch (failure) {
      setNotice(failure instanceof ApiError ? failure.message : 'The reset failed.');
    }
  };

  if (!key) {
    return (
      <main className="dashboard">
        <h1>Operator dashboard</h1>
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
        <h1>Operator dashboard</h1>
        <span className={`live live-${status}`} data-testid="dashboard-status"><span className="dot" aria-hidden="true" />{status === 'live' ? 'Live' : 'Reconnecting…'}</span>
        <a href="#">Back to the shop</a>
        {resetAvailable && <button type="button" className="link" onClick={() => setResetOpen(true)}>Reset demo data</button>}
        <button type="button" className="link" onClick={() => { sessionStorage.removeItem(KEY); setKey(null); }}>Sign out</button>
      </header>
      <p role="status" className="muted">{notice}</p>
      {resetAvailable && <ResetDialog open={resetOpen} onReset={reset} onClose={() => setResetOpen(false)} />}
      <table className="figures">
        <caption>Per product, updated every second (charts: the last minute)</caption>
        <thead>
          <tr>
            <th scope="col">Product</th><th scope="col">Available</th><th scope="col">Held</th><th scope="col">Sold</th>
            <th scope="col">Created/s</th><th scope="col">Expired/s</th><th scope="col">Expiry lag</th>
            <th scope="col">Waiting room</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const series = history[row.productId];
            return (
              <tr key={row.productId} data-product-id={row.productId}>
                <th scope="row">{row.name}</th>
                <Cell label="Available" testId="available" value={row.availableStock} extra={` / ${row.totalStock}`} series={series?.available} chart={`Available of ${row.name}, last minute`} />
                <Cell label="Held" testId="held" value={row.held} series={series?.held} chart={`Held of ${row.name}, last minute`} />
                <Cell label="Sold" testId="sold" value={row.sold} />
                <Cell label="Created/s" value={row.createdPerSecond} series={series?.created} chart={`Holds created per second of ${row.name}, last minute`} />
                <Cell label="Expired/s" value={row.expiredPerSecond} series={series?.expired} chart={`Holds expired per second of ${row.name}, last minute`} />
                <td data-label="Expiry lag">{row.expiryLagMillis == null ? '—' : `${row.expiryLagMillis} ms`}</td>
                <td data-label="Waiting room" data-testid="queue">{queueSummary(row.queue)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </main>
  );
}
