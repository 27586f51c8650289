import { describe, expect, it } from 'vitest';
import { connectionOf, pausedMessage, type ConnectionFacts } from './connection';

const up: ConnectionFacts = {
  online: true, shopSilent: false, stockStatus: 'live', holdStatus: 'live', synced: true, catalogueReady: true, beenLive: true,
};

describe('connection indicator', () => {
  it('is live only once both streams are up and caught up', () => {
    expect(connectionOf(up)).toBe('live');
    expect(connectionOf({ ...up, synced: false })).toBe('reconnecting');
    expect(connectionOf({ ...up, holdStatus: 'reconnecting' })).toBe('reconnecting');
  });

  it('says connecting, never reconnecting, until the page has been live once (no amber flash on the first load)', () => {
    const first = { ...up, beenLive: false };
    expect(connectionOf({ ...first, stockStatus: 'connecting', holdStatus: 'connecting' })).toBe('connecting');
    expect(connectionOf({ ...first, holdStatus: 'connecting' })).toBe('connecting');
    expect(connectionOf({ ...first, synced: false })).toBe('connecting');
  });

  it('tells a shop that does not answer from a device that is offline', () => {
    expect(connectionOf({ ...up, shopSilent: true, stockStatus: 'unavailable' })).toBe('not-answering');
    expect(pausedMessage('not-answering')).toBe('The shop is not answering — retrying. Reserving is paused until it answers.');
    expect(connectionOf({ ...up, online: false, shopSilent: true })).toBe('offline');
    expect(pausedMessage('offline')).toMatch(/^You are offline/);
    expect(pausedMessage('reconnecting')).toBeNull();
  });

  it('polls while the stock stream is refused but the shop answers', () => {
    expect(connectionOf({ ...up, stockStatus: 'unavailable' })).toBe('polling');
  });
});
