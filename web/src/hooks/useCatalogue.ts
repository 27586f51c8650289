// The catalogue: the products and the shop's rules (GET /api/products and GET /api/settings, read together). A failed
// load is retried by itself with backoff (1 s, 2 s, 4 s … 30 s) and by the Retry button; it never toasts, so two
// loads failing together do not stack identical errors.
//
// Until the settings arrive there are no rules (null) and the page shows nothing that needs them — no hold length, no
// stepper: the grid stays skeletons and a waiting room waits (App). No default is copied from the server: a shop
// configured with a 60 s hold shows 1:00 from the first paint.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type Api, type Product } from '../api/client';
import { rulesFrom, type ShopRules } from '../settings';

export type CatalogueState = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; retryAt: number };

const RETRY_MAX_MS = 30_000;

export interface CatalogueHooks {
  /** A list was read (the stock it carries fills what the stream has not told yet). */
  onLoaded: (products: Product[]) => void;
  /** The shop answered (false), or could not be reached (true). */
  onSilent: (silent: boolean) => void;
}

export interface Catalogue {
  products: Product[] | null;
  byId: Record<string, Product>;
  /** The latest byId, for callbacks that outlive a render. */
  current: () => Record<string, Product>;
  rules: ShopRules | null;
  state: CatalogueState;
  load: () => Promise<void>;
  /** A list read elsewhere (the stock poll) replaces the products shown. */
  take: (products: Product[]) => void;
  /** A product's name, or the fallback. */
  nameOf: (productId: string | undefined, fallback?: string) => string;
}

export function useCatalogue(api: Api, hooks: CatalogueHooks): Catalogue {
  const [rules, setRules] = useState<ShopRules | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [state, setState] = useState<CatalogueState>({ state: 'loading' });
  const rulesRef = useRef(rules);
  rulesRef.current = rules;
  const latest = useRef(hooks);
  latest.current = hooks;
  const attempts = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(async () => {
    clearTimeout(retryTimer.current);
    try {
      const [list, read] = await Promise.all([
        api.listProducts(),
        rulesRef.current ?? api.settings().then((settings) => {
          const told = rulesFrom(settings);
          if (!told) throw new ApiError({ title: 'Bad settings', status: 200, detail: 'The shop sent settings the page cannot read.' });
          return told;
        }),
      ]);
      attempts.current = 0;
      latest.current.onSilent(false);
      setRules(read);
      setProducts(list);
      latest.current.onLoaded(list);
      setState({ state: 'ready' });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NETWORK') latest.current.onSilent(true);
      const delay = Math.min(RETRY_MAX_MS, 1000 * 2 ** attempts.current++);
      retryTimer.current = setTimeout(() => void load(), delay);
      setState((c) => (c.state === 'ready' ? c : { state: 'failed', retryAt: Date.now() + delay }));
    }
  }, [api]);
  useEffect(() => {
    void load();
    return () => clearTimeout(retryTimer.current);
  }, [load]);

  const byId = useMemo(() => Object.fromEntries((products ?? []).map((p) => [p.id ?? '', p])), [products]);
  const byIdRef = useRef(byId);
  byIdRef.current = byId;
  const current = useCallback(() => byIdRef.current, []);
  const nameOf = (productId: string | undefined, fallback = 'this item') => byId[productId ?? '']?.name ?? fallback;

  return { products, byId, current, rules, state, load, take: setProducts, nameOf };
}
