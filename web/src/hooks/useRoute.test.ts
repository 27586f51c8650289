// @vitest-environment jsdom
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backToShop, openRoom, routeOf, useRoomFocus, useRoute } from './useRoute';

describe('routeOf', () => {
  it('reads the shop, a waiting room and the dashboard from the hash', () => {
    expect(routeOf('')).toEqual({ view: 'shop', roomId: null });
    expect(routeOf('#')).toEqual({ view: 'shop', roomId: null });
    expect(routeOf('#waiting-room/0b7c')).toEqual({ view: 'shop', roomId: '0b7c' });
    expect(routeOf('#waiting-room/')).toEqual({ view: 'shop', roomId: null });
    expect(routeOf('#admin')).toEqual({ view: 'admin' });
    expect(routeOf('#admin/x')).toEqual({ view: 'shop', roomId: null });
  });
});

describe('useRoute', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    location.hash = '';
  });

  it('follows the hash as links, openRoom and backToShop change it', async () => {
    const { result } = renderHook(() => useRoute());
    expect(result.current).toEqual({ view: 'shop', roomId: null });
    openRoom('p-1');
    await waitFor(() => expect(result.current).toEqual({ view: 'shop', roomId: 'p-1' }));
    location.hash = '#admin';
    await waitFor(() => expect(result.current).toEqual({ view: 'admin' }));
    backToShop();
    await waitFor(() => expect(result.current).toEqual({ view: 'shop', roomId: null }));
  });

  it('listens once, and not after the page goes', () => {
    const add = vi.spyOn(window, 'addEventListener');
    const remove = vi.spyOn(window, 'removeEventListener');
    const { unmount } = renderHook(() => useRoute());
    expect(add.mock.calls.filter(([type]) => type === 'hashchange')).toHaveLength(1);
    unmount();
    expect(remove.mock.calls.filter(([type]) => type === 'hashchange')).toHaveLength(1);
  });
});

describe('useRoomFocus', () => {
  it('scrolls to the top on entering a room, and gives focus back to the card whose room was left', () => {
    document.body.innerHTML = `
      <div id="page"></div>
      <article data-product-id="a"><button class="reserve">Open the waiting room</button></article>
      <article data-product-id="b"><button class="reserve">Open the waiting room</button></article>`;
    const page = document.getElementById('page') as HTMLDivElement;
    const scrolls: unknown[] = [];
    page.scrollTo = ((options: ScrollToOptions) => void scrolls.push(options)) as typeof page.scrollTo;
    const { rerender } = renderHook(({ roomId }) => useRoomFocus(roomId, { current: page }), { initialProps: { roomId: null as string | null } });
    rerender({ roomId: 'b' });
    expect(scrolls).toEqual([{ top: 0 }, { top: 0 }]);
    rerender({ roomId: null });
    expect(document.activeElement).toBe(document.querySelector('article[data-product-id="b"] button'));
    expect(scrolls).toHaveLength(3);
  });
});
