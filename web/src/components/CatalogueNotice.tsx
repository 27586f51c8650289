type Props = { kind: 'failed'; retryInMs: number; onRetry: () => void } | { kind: 'empty' };

/** In place of the grid: the catalogue could not be loaded (retried by itself, or now), or nothing is on sale. */
export function CatalogueNotice(props: Props) {
  if (props.kind === 'empty') {
    return (
      <section className="notice" data-testid="catalogue-empty">
        <h2>Nothing on sale yet</h2>
        <p className="muted">New drops appear here by themselves: keep this page open.</p>
      </section>
    );
  }
  const seconds = Math.max(1, Math.ceil(props.retryInMs / 1000));
  return (
    <section className="notice" role="alert" data-testid="catalogue-failed">
      <h2>Couldn&apos;t load the drop</h2>
      <p className="muted">Trying again in {seconds} s.</p>
      <button type="button" className="primary" onClick={props.onRetry}>Retry</button>
    </section>
  );
}
