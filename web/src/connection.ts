// What the header's indicator says about the page's link to the shop, from the streams' states and whether the
// shop answers HTTP at all.
import type { LiveStatus } from './live';

export type Connection = 'live' | 'polling' | 'connecting' | 'reconnecting' | 'not-answering' | 'offline';

export interface ConnectionFacts {
  /** navigator.onLine: false only when the device itself has no network. */
  online: boolean;
  /** A request could not reach the shop (no answer at all), and none has got through since. */
  shopSilent: boolean;
  stockStatus: LiveStatus;
  holdStatus: LiveStatus;
  /** Each stream has caught up with what it missed: the snapshot applied, the holds re-read. */
  synced: boolean;
  catalogueReady: boolean;
  /** The page has been live once: before that, a stream not yet up is connecting, not reconnecting. */
  beenLive: boolean;
}

export function connectionOf(f: ConnectionFacts): Connection {
  if (!f.online) return 'offline';
  if (f.shopSilent) return 'not-answering';
  if (f.stockStatus === 'unavailable' && f.catalogueReady) return 'polling';
  if (f.stockStatus === 'live' && f.holdStatus === 'live' && f.synced && f.catalogueReady) return 'live';
  return f.beenLive ? 'reconnecting' : 'connecting';
}

export const CONNECTION_LABEL: Record<Connection, string> = {
  live: 'Live',
  polling: 'Updating every few seconds',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  'not-answering': 'Not answering — retrying',
  offline: 'Offline',
};

/** What the message bar says while reserving is paused; null when it is not. */
export function pausedMessage(connection: Connection): string | null {
  if (connection === 'offline') return 'You are offline: reserving is paused until your connection is back.';
  if (connection === 'not-answering') return 'The shop is not answering — retrying. Reserving is paused until it answers.';
  return null;
}

/** Reserving, paying and joining are paused: nothing would reach the shop. */
export const paused = (connection: Connection): boolean => connection === 'offline' || connection === 'not-answering';
