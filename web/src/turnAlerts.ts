// Turn alerts: a waiting-room turn must not pass unseen in another tab. When a place becomes ADMITTED the shopper
// hears of it every way they allowed: a browser notification (permission asked when they join, never on load), a short
// sound (if they ticked "Play a sound"), a vibration where supported, and — while the tab is hidden — a title that
// flashes the turn's countdown until they come back.
import { formatCountdown } from './clock';

const SOUND_KEY = 'flashsale.turnSound';

/** Asked when joining a waiting room (a user's gesture), never before: the notification permission. */
export function askForTurnAlerts(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => {});
  }
}

export const turnSoundAllowed = () => localStorage.getItem(SOUND_KEY) === 'on';
export const allowTurnSound = (on: boolean) => (on ? localStorage.setItem(SOUND_KEY, 'on') : localStorage.removeItem(SOUND_KEY));

/** A turn just came: notify, sound and vibrate, as allowed. */
export function alertTurn(productId: string, name: string, leftMs: number): void {
  const body = `Reserve ${name} within ${formatCountdown(leftMs)}.`;
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    try {
      new Notification(`Your turn · ${name}`, { body, tag: `turn-${productId}` });
    } catch {
      // Some browsers (Android Chrome) only notify from a service worker: the title and the toast still tell.
    }
  }
  navigator.vibrate?.([200, 100, 200]);
  if (turnSoundAllowed()) beep();
}

function beep(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
    tone.onended = () => void audio.close();
  } catch {
    // No audio here: the other alerts stand.
  }
}

/** The title while a turn runs in a hidden tab: it alternates with the page's own each second. */
export function turnTitle(tick: number, leftMs: number, pageTitle: string): string {
  return tick % 2 === 0 ? `Your turn · ${formatCountdown(leftMs)}` : pageTitle;
}
