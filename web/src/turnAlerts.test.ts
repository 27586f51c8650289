// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alertTurn, allowTurnSound, askForTurnAlerts, turnSoundAllowed, turnTitle } from './turnAlerts';

describe('turn alerts', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('flashes the countdown in the title, every other second', () => {
    expect(turnTitle(0, 28_000, 'Flash Drop')).toBe('Your turn · 0:28');
    expect(turnTitle(1, 27_000, 'Flash Drop')).toBe('Flash Drop');
  });

  it('asks for notifications only while undecided, and notifies once granted', () => {
    const requestPermission = vi.fn(async () => 'granted');
    const made: unknown[][] = [];
    class FakeNotification {
      static permission = 'default';
      static requestPermission = requestPermission;
      constructor(...args: unknown[]) {
        made.push(args);
      }
    }
    vi.stubGlobal('Notification', FakeNotification);
    askForTurnAlerts();
    expect(requestPermission).toHaveBeenCalledTimes(1);
    alertTurn('p', 'Runner', 30_000);
    expect(made).toHaveLength(0);
    FakeNotification.permission = 'granted';
    askForTurnAlerts();
    expect(requestPermission).toHaveBeenCalledTimes(1);
    alertTurn('p', 'Runner', 30_000);
    expect(made[0]).toEqual(['Your turn · Runner', { body: 'Reserve Runner within 0:30.', tag: 'turn-p' }]);
  });

  it('plays a sound only if the shopper allowed it', () => {
    expect(turnSoundAllowed()).toBe(false);
    allowTurnSound(true);
    expect(turnSoundAllowed()).toBe(true);
    allowTurnSound(false);
    expect(turnSoundAllowed()).toBe(false);
  });
});
