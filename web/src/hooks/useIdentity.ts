// Who this page is to the shop. The shopper is created on the first visit and kept in localStorage, so a reload keeps
// holds and countdowns. Tokens expire (flashsale.token-ttl), so a returning visitor's token is renewed; an expired or
// foreign one starts afresh (and a new shopper has joined no waiting room).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError, type ShopperCredentials } from '../api/client';
import type { ServerClock } from '../clock';
import { wakeStreams } from '../live';
import { forgetAllRooms } from '../rooms';

export const TOKEN_KEY = 'flashsale.token';
export const HANDLE_KEY = 'flashsale.handle';

export interface Identity {
  /** The API as this shopper; any answer from the shop wakes the streams waiting out their backoff (see live.ts). */
  api: Api;
  /** The bearer token now (the shopper stream carries it). */
  token: () => string | null;
  /** The display handle "Just bought" marks "(you)" and the payment confirmation shows. */
  handle: string | null;
  /** The shopper's id (the credentials carry it): what checking one's place in a published draw needs. */
  shopperId: string | null;
  /** Signed in, and `afterSignIn` (the first read of the holds) done. */
  ready: boolean;
}

export interface IdentityHooks {
  afterSignIn: () => Promise<void>;
  onError: (error: unknown) => void;
}

export function useIdentity(clock: ServerClock, hooks: IdentityHooks): Identity {
  const tokenRef = useRef<string | null>(localStorage.getItem(TOKEN_KEY));
  const token = useCallback(() => tokenRef.current, []);
  const api = useMemo(() => new Api(clock, token, wakeStreams), [clock, token]);
  const [handle, setHandle] = useState<string | null>(localStorage.getItem(HANDLE_KEY));
  const [shopperId, setShopperId] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const latest = useRef(hooks);
  latest.current = hooks;

  useEffect(() => {
    const keep = (credentials: ShopperCredentials) => {
      tokenRef.current = credentials.token ?? null;
      setShopperId(credentials.shopperId ?? null);
      if (credentials.token) localStorage.setItem(TOKEN_KEY, credentials.token);
      if (credentials.handle) {
        localStorage.setItem(HANDLE_KEY, credentials.handle);
        setHandle(credentials.handle);
      }
    };
    const ensure = async () => {
      if (tokenRef.current) {
        try {
          keep(await api.renewToken());
        } catch (error) {
          if (!(error instanceof ApiError && error.problem.status === 401)) throw error;
          tokenRef.current = null;
        }
      }
      if (!tokenRef.current) {
        forgetAllRooms();
        keep(await api.createShopper());
      }
      await latest.current.afterSignIn();
      setReady(true);
    };
    ensure().catch((error: unknown) => latest.current.onError(error));
  }, [api]);

  return { api, token, handle, shopperId, ready };
}
