// @vitest-environment jsdom
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerClock } from '../clock';
import { startShop, type Shop } from '../test/shop';
import { HANDLE_KEY, TOKEN_KEY, useIdentity } from './useIdentity';

const ROOMS_KEY = 'flashsale.rooms';
const credentials = { shopperId: 's-1', token: 'fresh-token', handle: 'Swift Otter' };

describe('useIdentity', () => {
  let shop: Shop;
  beforeEach(async () => {
    localStorage.clear();
    shop = await startShop();
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  const render = () => {
    const calls: string[] = [];
    const errors: unknown[] = [];
    const clock = new ServerClock();
    const view = renderHook(() => useIdentity(clock, {
      afterSignIn: async () => void calls.push(`after sign-in, token ${localStorage.getItem(TOKEN_KEY)}`),
      onError: (error) => void errors.push(error),
    }));
    return { ...view, calls, errors };
  };

  it('creates a shopper on the first visit, keeps it, and is ready once the first read after sign-in is done', async () => {
    shop.answer('POST /api/shoppers', { status: 201, body: credentials });
    localStorage.setItem(ROOMS_KEY, '["p"]');
    const { result, calls } = render();
    expect(result.current.ready).toBe(false);
    await waitFor(() => expect(result.current.ready).toBe(true));
    expect(calls).toEqual(['after sign-in, token fresh-token']);
    expect(result.current).toMatchObject({ shopperId: 's-1', handle: 'Swift Otter' });
    expect(result.current.token()).toBe('fresh-token');
    expect(localStorage.getItem(HANDLE_KEY)).toBe('Swift Otter');
    expect(localStorage.getItem(ROOMS_KEY)).toBeNull(); // a new shopper has joined nothing
    expect(shop.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/shoppers']);
  });

  it('renews a returning visitor\'s token, sending the one it kept', async () => {
    localStorage.setItem(TOKEN_KEY, 'old-token');
    localStorage.setItem(HANDLE_KEY, 'Swift Otter');
    localStorage.setItem(ROOMS_KEY, '["p"]');
    shop.answer('POST /api/shoppers/me/token', { body: { ...credentials, token: 'renewed-token' } });
    const { result } = render();
    expect(result.current.handle).toBe('Swift Otter'); // from the first paint
    await waitFor(() => expect(result.current.ready).toBe(true));
    expect(shop.requests).toEqual([{ method: 'POST', path: '/api/shoppers/me/token', authorization: 'Bearer old-token' }]);
    expect(localStorage.getItem(TOKEN_KEY)).toBe('renewed-token');
    expect(localStorage.getItem(ROOMS_KEY)).toBe('["p"]');
    // Every later call carries the renewed token.
    shop.answer('GET /api/reservations', { body: { items: [] } });
    await result.current.api.listHolds();
    expect(shop.requests.at(-1)?.authorization).toBe('Bearer renewed-token');
  });

  it('starts afresh when the kept token is refused (expired, or another shop\'s)', async () => {
    localStorage.setItem(TOKEN_KEY, 'expired-token');
    shop.answer('POST /api/shoppers/me/token', { status: 401, body: { title: 'Unauthorized', status: 401, detail: 'expired', code: 'UNAUTHORIZED' } });
    shop.answer('POST /api/shoppers', { status: 201, body: credentials });
    const { result } = render();
    await waitFor(() => expect(result.current.ready).toBe(true));
    expect(shop.requests.map((r) => `${r.method} ${r.path} ${r.authorization ?? '-'}`))
      .toEqual(['POST /api/shoppers/me/token Bearer expired-token', 'POST /api/shoppers -']);
    expect(localStorage.getItem(TOKEN_KEY)).toBe('fresh-token');
  });

  it('keeps the token and tells the failure when the renewal fails otherwise, and is not ready', async () => {
    localStorage.setItem(TOKEN_KEY, 'old-token');
    shop.answer('POST /api/shoppers/me/token', { status: 503, body: { title: 'Busy', status: 503, detail: 'Try again', code: 'OVERLOADED' } });
    const { result, errors, calls } = render();
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ message: 'Try again' });
    expect(calls).toEqual([]);
    expect(result.current.ready).toBe(false);
    expect(shop.count('POST /api/shoppers')).toBe(0);
    expect(localStorage.getItem(TOKEN_KEY)).toBe('old-token');
  });
});
