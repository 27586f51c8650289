// The waiting rooms this browser's shopper joined, kept beside the shopper's token in localStorage: a place exists
// only where the shopper joined, and only this page (holding that token) joins. The page reads GET …/queue/me only
// for these rooms, so a product with a queue the shopper never joined costs no request and no 404.
const ROOMS_KEY = 'flashsale.rooms';

/** The rooms joined, as stored; a broken or foreign value counts as none. */
export function parseRooms(stored: string | null): string[] {
  try {
    const parsed: unknown = stored ? JSON.parse(stored) : [];
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export const joinedRooms = (): string[] => parseRooms(localStorage.getItem(ROOMS_KEY));

export function rememberRoom(productId: string): void {
  const rooms = joinedRooms();
  if (!rooms.includes(productId)) localStorage.setItem(ROOMS_KEY, JSON.stringify([...rooms, productId]));
}

/** Forgets a room the server says the shopper is not in (left, or never was: a reset catalogue). */
export function forgetRoom(productId: string): void {
  localStorage.setItem(ROOMS_KEY, JSON.stringify(joinedRooms().filter((id) => id !== productId)));
}

/** A new shopper (a fresh token) has joined nothing. */
export function forgetAllRooms(): void {
  localStorage.removeItem(ROOMS_KEY);
}

/** Of the queued products, those whose place must be read; the others are known: not in the queue. */
export function roomsToRead(queued: string[], joined: string[]): { read: string[]; notIn: string[] } {
  return { read: queued.filter((id) => joined.includes(id)), notIn: queued.filter((id) => !joined.includes(id)) };
}
