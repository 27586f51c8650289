// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api, type Product } from '../api/client';
import { ServerClock } from '../clock';
import { startShop, type Shop } from '../test/shop';
import { useCatalogue } from './useCatalogue';

const products: Product[] = [
  { id: 'p', name: 'Aurora Runner', priceCents: 12000, currency: 'EUR', availableStock: 7, totalStock: 50 },
  { id: 'q', name: 'Collab Cap', priceCents: 3500, currency: 'EUR', availableStock: 0, totalStock: 20 },
];
const settings = { holdTtl: 'PT1M', holdMaxLifetime: 'PT6M', maxPerRequest: 4 };

describe('useCatalogue', () => {
  let shop: Shop;
  const api = new Api(new ServerClock(), () => null);
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  const render = () => {
    const loaded: Product[][] = [];
    const silent: boolean[] = [];
    const view = renderHook(() => useCatalogue(api, { onLoaded: (list) => void loaded.push(list), onSilent: (s) => void silent.push(s) }));
    return { ...view, loaded, silent };
  };

  it('reads the products and the shop\'s rules together, and has neither until both are in', async () => {
    let settingsAsked = 0;
    shop.answer('GET /api/products', { body: products });
    shop.answer('GET /api/settings', () => ({ body: settingsAsked++ === 0 ? settings : { ...settings, maxPerRequest: 9 } }));
    const { result, loaded, silent } = render();
    expect(result.current).toMatchObject({ products: null, rules: null, state: { state: 'loading' } });
    await waitFor(() => expect(result.current.state).toEqual({ state: 'ready' }));
    expect(result.current.rules).toEqual({ holdMs: 60_000, maxPerRequest: 4 });
    expect(result.current.products).toEqual(products);
    expect(result.current.byId.q.name).toBe('Collab Cap');
    expect(result.current.nameOf('p')).toBe('Aurora Runner');
    expect(result.current.nameOf('gone')).toBe('this item');
    expect(loaded).toEqual([products]);
    expect(silent).toEqual([false]);
    // The rules are the shop's for its lifetime: a reload reads the products only.
    await result.current.load();
    expect(shop.count('GET /api/products')).toBe(2);
    expect(settingsAsked).toBe(1);
    expect(result.current.rules?.maxPerRequest).toBe(4);
  });

  it('does not show a catalogue whose rules it cannot read, and retries by itself', async () => {
    shop.answer('GET /api/products', { body: products });
    shop.answer('GET /api/settings', { body: { holdTtl: 'soon', holdMaxLifetime: 'PT6M', maxPerRequest: 4 } });
    const { result, loaded } = render();
    await waitFor(() => expect(result.current.state.state).toBe('failed'));
    expect(result.current).toMatchObject({ products: null, rules: null });
    expect(loaded).toEqual([]);
    shop.answer('GET /api/settings', { body: settings });
    // The first retry comes after 1 s.
    await waitFor(() => expect(result.current.state).toEqual({ state: 'ready' }), { timeout: 3_000 });
    expect(result.current.rules).toEqual({ holdMs: 60_000, maxPerRequest: 4 });
  });

  it('marks the shop silent when it cannot be reached, and answered when it is again', async () => {
    shop.answer('GET /api/products', { hangUp: true });
    shop.answer('GET /api/settings', { body: settings });
    const { result, silent } = render();
    await waitFor(() => expect(silent).toEqual([true]));
    expect(result.current.state.state).toBe('failed');
    shop.answer('GET /api/products', { body: products });
    await result.current.load();
    expect(silent).toEqual([true, false]);
    await waitFor(() => expect(result.current.state).toEqual({ state: 'ready' }));
  });

  it('takes a list read elsewhere (the stock poll) as the products shown', async () => {
    shop.answer('GET /api/products', { body: products });
    shop.answer('GET /api/settings', { body: settings });
    const { result } = render();
    await waitFor(() => expect(result.current.state).toEqual({ state: 'ready' }));
    const renamed = [{ ...products[0], name: 'Aurora Runner II' }];
    act(() => result.current.take(renamed));
    expect(result.current.products).toEqual(renamed);
    expect(result.current.current().p.name).toBe('Aurora Runner II');
  });
});
