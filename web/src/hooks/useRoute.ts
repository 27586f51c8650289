// Where the page is, from the URL's hash: the shop at "#" (or nothing), a product's waiting room at
// "#waiting-room/<product id>", the operator's dashboard at "#admin". One listener for the whole page (main.tsx).
import { useEffect, useRef, useState, type RefObject } from 'react';

export type Route = { view: 'admin' } | { view: 'shop'; roomId: string | null };

const ROOM_HASH = '#waiting-room/';

export function routeOf(hash: string): Route {
  if (hash === '#admin') return { view: 'admin' };
  return { view: 'shop', roomId: hash.startsWith(ROOM_HASH) ? hash.slice(ROOM_HASH.length) || null : null };
}

/** Opens a product's waiting room (a new history entry, so Back returns to the shop). */
export function openRoom(productId: string): void {
  location.hash = `${ROOM_HASH}${productId}`;
}

/** Back to the shop's grid. */
export function backToShop(): void {
  location.hash = '';
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return routeOf(hash);
}

/**
 * Entering or leaving a waiting room scrolls the page to the top; back in the shop, focus goes to the button of the
 * card whose room was left.
 */
export function useRoomFocus(roomId: string | null, page: RefObject<HTMLElement | null>): void {
  const lastRoom = useRef<string | null>(null);
  useEffect(() => {
    page.current?.scrollTo({ top: 0 });
    const left = lastRoom.current;
    lastRoom.current = roomId;
    if (!roomId && left) document.querySelector<HTMLButtonElement>(`article[data-product-id="${left}"] button.reserve`)?.focus();
  }, [roomId, page]);
}
