// A live stream that reconnects by itself (with backoff) and reports whether it is live. Its messages are typed by
// the AsyncAPI document (../asyncapi/asyncapi.json → src/api/live.d.ts): each address sends its channel's messages.
import type { LiveStreams } from './api/live';

// 'unavailable': the last UNAVAILABLE_AFTER opens in a row never got through — the upgrade refused (503 at the
// instance's flashsale.live.max-watchers: a browser sees only a failed WebSocket) or the server unreachable. The
// stream keeps retrying with backoff; meanwhile a page shows what it can read over HTTP.
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'unavailable';
export type LivePath = keyof LiveStreams;

export interface LiveOptions<P extends LivePath> {
  path: P;
  token?: () => string | null;
  onMessage: (message: LiveStreams[P]) => void;
  onStatus: (status: LiveStatus) => void;
}

const UNAVAILABLE_AFTER = 2;

// The streams waiting out their backoff: an HTTP answer from the shop wakes them, so a page converges within moments
// of the shop answering again instead of at the end of a backoff of up to 10 s.
const sleeping = new Set<() => void>();

/** The shop answered: every stream waiting to retry connects now. */
export function wakeStreams(): void {
  for (const wake of [...sleeping]) wake();
}

/** Opens the stream; returns a function that closes it for good. */
export function openLive<P extends LivePath>({ path, token, onMessage, onStatus }: LiveOptions<P>): () => void {
  let socket: WebSocket | null = null;
  let attempts = 0;
  let failedOpens = 0;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const wake = () => {
    clearTimeout(retry);
    connect();
  };

  const connect = () => {
    sleeping.delete(wake);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
    const bearer = token?.();
    // Browsers cannot set headers on a WebSocket: the token rides in Sec-WebSocket-Protocol (see the README).
    socket = bearer
      ? new WebSocket(url, ['bearer-token-carrier', encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${bearer}`)])
      : new WebSocket(url);
    let opened = false;
    socket.onopen = () => {
      attempts = 0;
      failedOpens = 0;
      opened = true;
      onStatus('live');
    };
    socket.onmessage = (event) => {
      try {
        onMessage(JSON.parse(event.data as string) as LiveStreams[P]);
      } catch {
        // not ours: ignore
      }
    };
    socket.onclose = () => {
      if (closed) return;
      if (!opened) failedOpens++;
      onStatus(failedOpens >= UNAVAILABLE_AFTER ? 'unavailable' : 'reconnecting');
      const delay = Math.min(10_000, 500 * 2 ** attempts++) * (0.75 + Math.random() / 2);
      retry = setTimeout(connect, delay);
      sleeping.add(wake);
    };
  };

  onStatus('connecting');
  connect();
  return () => {
    closed = true;
    sleeping.delete(wake);
    clearTimeout(retry);
    socket?.close();
  };
}
