import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Hold, Product, QueueStatus } from '../api/client';
import { formatCountdown } from '../clock';
import { formatPrice, formatTime } from '../format';
import { backToShop } from '../hooks/useRoute';
import { ADMISSION_URGENT_MS, durationMs, type RoomView } from '../queue';
import { allowTurnSound, turnSoundAllowed } from '../turnAlerts';
import { Stepper } from './Stepper';

interface Props {
  product: Product;
  available: number;
  total: number;
  view: RoomView;
  /** The shopper's active hold of this product (after reserving), and its time left. */
  myHold?: Hold;
  myHoldRemaining?: number;
  /** The shopper has paid for this product. */
  bought: boolean;
  /** The sale has not opened yet (by server time): who joins now is in the draw. */
  saleUpcoming: boolean;
  holdLengthMs: number;
  maxQuantity: number;
  busy: boolean;
  /** The reserve or join on its way is being tried again (its answer was lost). */
  retrying?: boolean;
  offline: boolean;
  /** What the primary button says while reserving is paused (see ProductCard). */
  pausedLabel?: string;
  /** /ws/shopper is down: the place is read every few seconds instead of pushed. */
  polling: boolean;
  headingRef: RefObject<HTMLHeadingElement | null>;
  loadStatus: () => Promise<QueueStatus>;
  /** The shopper's position (any state), to check against the published draw; null when not placed. */
  drawPosition: number | null;
  /** The browser can compute the key (Web Crypto) and knows the shopper's id. */
  canCheckDraw: boolean;
  /** Checks the shopper's place against the published draw: whether it is confirmed (offered when canCheckDraw). */
  onCheckDraw: (seed: string, position: number) => Promise<boolean>;
  onJoin: () => void;
  onLeave: () => void;
  onReserve: (quantity: number) => void;
  onPay: (hold: Hold) => void;
}

type Primary = { label: string; enabled: boolean; run?: () => void };

/**
 * A queued product's waiting room: where the shopper stands (the draw, their place, the people ahead, the estimated
 * wait), then "You're in — reserve within m:ss". Its rows keep their places whatever the state, and the main button
 * is always in the same spot (aria-disabled while waiting), so nothing moves under the pointer at the moment of
 * admission; the button then takes focus.
 */
export function WaitingRoom(props: Props) {
  const { product, view, myHold, myHoldRemaining, holdLengthMs, busy, offline, headingRef } = props;
  const [quantity, setQuantity] = useState(1);
  const [status, setStatus] = useState<QueueStatus | null>(null);
  // The outcome of the shopper's check of the draw; retry says the button stays (it failed or did not match).
  const [drawCheck, setDrawCheck] = useState<{ text: string; retry: boolean } | null>(null);
  const primary = useRef<HTMLButtonElement>(null);
  const kind = view.kind;
  const drawn = kind !== 'unknown' && kind !== 'out' && kind !== 'draw';

  useEffect(() => {
    headingRef.current?.focus();
  }, [headingRef, product.id]);

  // Admission: the Reserve button, where it always was, takes focus (whatever the shopper was reading).
  const previousKind = useRef(kind);
  useEffect(() => {
    if (kind === 'admitted' && previousKind.current !== 'admitted') primary.current?.focus();
    previousKind.current = kind;
  }, [kind]);

  // The public side of the queue (its length; the draw's seed once it ran), read when the room opens and after the draw.
  const { loadStatus } = props;
  useEffect(() => {
    let current = true;
    loadStatus().then((s) => current && setStatus(s)).catch(() => { /* the line stays as it was */ });
    return () => {
      current = false;
    };
  }, [loadStatus, product.id, drawn]);

  // The shopper's own check of the draw: their key by the published recipe is the one published at their place.
  const checkDraw = () => {
    const position = props.drawPosition;
    if (!status?.drawSeed || position === null) return;
    const place = `#${position.toLocaleString()}`;
    setDrawCheck({ text: 'Checking…', retry: false });
    props.onCheckDraw(status.drawSeed, position)
      .then((ok) => setDrawCheck(ok
        ? { text: `Checked: your key from the published seed is the one at place ${place} of the draw, in key order.`, retry: false }
        : { text: `Your key does not match place ${place} of the published draw.`, retry: true }))
      .catch(() => setDrawCheck({ text: 'The draw could not be read.', retry: true }));
  };

  const shownQuantity = Math.min(quantity, props.maxQuantity);
  // The admission's length as the product says it (every product carries it); never a copy of the server's default.
  const admissionMs = durationMs(product.admissionTtl);
  const ttl = admissionMs > 0 ? formatCountdown(admissionMs) : null;
  const saleAt = product.saleStartsAt ? formatTime(product.saleStartsAt) : null;
  const primaryOf = (): Primary => {
    if (busy && props.retrying) return { label: 'Trying again…', enabled: false };
    if (offline) return { label: props.pausedLabel ?? 'Offline', enabled: false };
    switch (view.kind) {
      case 'unknown':
        return { label: 'Join the waiting room', enabled: false };
      case 'out':
        return view.opensAt ? { label: `Opens at ${formatTime(view.opensAt)}`, enabled: false }
          : { label: busy ? 'Joining…' : 'Join the waiting room', enabled: !busy, run: props.onJoin };
      case 'draw':
      case 'waiting':
        return { label: 'Wait for your turn', enabled: false };
      case 'admitted':
        return { label: busy ? 'Reserving…' : `Reserve · ${formatCountdown(holdLengthMs)}`, enabled: !busy, run: () => props.onReserve(shownQuantity) };
      case 'expired':
        return { label: 'Turn expired', enabled: false };
      case 'reserved':
        return myHold ? { label: `Pay · ${formatCountdown(myHoldRemaining ?? 0)}`, enabled: true, run: () => props.onPay(myHold) }
          : { label: 'Back to the shop', enabled: true, run: backToShop };
      case 'lapsed':
      case 'soldOut':
        return { label: 'Back to the shop', enabled: true, run: backToShop };
    }
  };
  const action = primaryOf();

  const [headline, detail] = ((): [string, string] => {
    switch (view.kind) {
      case 'unknown':
        return ['Checking your place…', 'One moment.'];
      case 'out':
        return view.opensAt
          ? [`The waiting room opens at ${formatTime(view.opensAt)}`, 'Come back then: everyone who joins before the sale opens gets a place drawn at random.']
          : ['Join the waiting room', saleAt && props.saleUpcoming
            ? `Everyone who joins before the sale opens at ${saleAt} gets a place drawn at random: joining early is no advantage.`
            : 'The sale is on: who joins now queues behind the draw, in the order they join.'];
      case 'draw':
        return ["You're in the draw", 'Positions are drawn at random when the sale opens — joining earlier is no advantage. You may browse the shop meanwhile.'];
      case 'waiting':
        return [view.ahead === 0 ? "You're next" : `You're number ${view.position}`,
          `When it's your turn you'll have ${ttl ?? 'a short time'} to reserve. Units that come back from expired holds go to the next in line.`];
      case 'admitted':
        return [`You're in — reserve within ${formatCountdown(view.leftMs)}`, `It's your turn: reserve now, then pay within the hold's ${formatCountdown(holdLengthMs)}. Unused, the turn passes to the next in line.`];
      case 'expired':
        return ['Your turn ran out', 'The time to reserve is over; the shop is passing the turn to the next in line.'];
      case 'reserved':
        return myHold ? [`Reserved — pay within ${formatCountdown(myHoldRemaining ?? 0)}`, 'Your turn was used: the item is held for you. Pay before the timer runs out.']
          : props.bought ? ["It's yours", 'Your turn was used and the item is paid for: see Your holds.']
            : ['Your turn was used', 'You reserved with your turn; that hold has ended. A turn can be used once.'];
      case 'lapsed':
        return ['Your turn lapsed', `You did not reserve within ${ttl ?? 'your time'}, so the turn went to the next in line. A lapsed place cannot be used again.`];
      case 'soldOut':
        return ['Sold out before your turn', 'Everything was bought before your turn came; nothing was charged. Other drops are still on in the shop.'];
    }
  })();

  // What screen readers hear politely: the stage and the place, not every second of a countdown (admission and its
  // last seconds are announced assertively by the page).
  const spoken = kind === 'draw' ? "You're in the draw."
    : view.kind === 'waiting' ? (view.ahead === 0 ? "You're next." : `You're number ${view.position} in the queue.`)
      : kind === 'reserved' ? headline.replace(/ — .*/, '.') : kind === 'lapsed' || kind === 'soldOut' || kind === 'expired' ? `${headline}.` : '';

  const urgent = view.kind === 'admitted' && view.leftMs <= ADMISSION_URGENT_MS;
  const inPlay = kind === 'draw' || kind === 'waiting' || kind === 'admitted';

  return (
    <section className="room" aria-labelledby="room-heading" data-testid="waiting-room" data-state={kind}>
      <p className="room-back"><a href="#">← Back to the shop</a></p>
      <h2 id="room-heading" ref={headingRef} tabIndex={-1}>Waiting room · {product.name}</h2>
      <p className="room-product muted">
        {formatPrice(product.priceCents ?? 0, product.currency)} · {props.available === 0 ? 'Sold out' : `${props.available} of ${props.total} left`}
      </p>
      <div className={`room-status room-${kind}${urgent ? ' urgent' : ''}`}>
        <p className="room-headline" data-testid="room-headline">{headline}</p>
        <p className="room-detail">{detail}</p>
        <div className="room-meter" data-testid="room-meter">
          {view.kind === 'draw' && (
            <p className="room-big">{view.saleOpensInMs > 0 ? <>Sale opens in <strong>{formatCountdown(view.saleOpensInMs)}</strong></> : 'Drawing places…'}</p>
          )}
          {view.kind === 'waiting' && (
            <dl className="room-figures">
              <div><dt>Your place</dt><dd data-testid="room-position">#{view.position.toLocaleString()}</dd></div>
              <div><dt>Ahead of you</dt><dd data-testid="room-ahead">{view.ahead.toLocaleString()}</dd></div>
              <div><dt>Estimated wait</dt><dd data-testid="room-wait">{view.wait ?? 'not yet known'}</dd></div>
            </dl>
          )}
          {view.kind === 'admitted' && (
            <p className="room-big room-countdown" role="timer" aria-label={`${formatCountdown(view.leftMs)} left to reserve`}>
              <strong data-testid="room-countdown">{formatCountdown(view.leftMs)}</strong> left to reserve
            </p>
          )}
        </div>
        <div className="bar room-bar" role="progressbar" aria-label={view.kind === 'admitted' ? 'Time left to reserve' : 'Your progress in the queue'}
          aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(barFraction(view) * 100)}>
          <div className={`bar-fill${urgent ? ' bar-low' : ''}`} style={{ width: `${barFraction(view) * 100}%` }} />
        </div>
        <div className="room-actions">
          <Stepper label={`Quantity of ${product.name}`} value={shownQuantity} max={props.maxQuantity}
            closed={!(kind === 'admitted' && action.enabled)} onChange={setQuantity} />
          <button type="button" ref={primary} className="primary room-primary" data-testid="room-primary" aria-disabled={!action.enabled}
            aria-busy={busy} onClick={() => action.enabled && action.run?.()}>
            {action.label}
          </button>
        </div>
      </div>
      <div className="room-footer">
        <p className="muted room-meta" data-testid="room-meta">
          {props.polling && inPlay ? 'Live updates are reconnecting: your place is checked every few seconds. ' : ''}
          {statusLine(status)}
        </p>
        {drawCheckable(status, props.drawPosition) && props.canCheckDraw && (
          <p className="muted room-meta" data-testid="room-draw-check" aria-live="polite">
            {drawCheck && <span data-testid="room-draw-result">{drawCheck.text} </span>}
            {(!drawCheck || drawCheck.retry) && (
              <button type="button" className="link" onClick={checkDraw}>{drawCheck ? 'Check again' : 'Check my place in the draw'}</button>
            )}
          </p>
        )}
        {inPlay && <TurnSound />}
        {inPlay && <button type="button" className="ghost" onClick={props.onLeave}>Leave the waiting room</button>}
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="room-announcement">{spoken}</p>
    </section>
  );
}

/** The bar: the way through the queue while waiting, the time left while admitted. */
function barFraction(view: RoomView): number {
  switch (view.kind) {
    case 'waiting':
      return view.progress;
    case 'admitted':
      return view.fraction;
    case 'reserved':
      return 1;
    default:
      return 0;
  }
}

/** A place the draw handed out (not a later arrival's), once its seed is published. */
function drawCheckable(status: QueueStatus | null, position: number | null): boolean {
  return Boolean(status?.drawSeed) && position !== null && position <= (status?.drawEntrants ?? 0);
}

/** The queue's public figures: how many wait, and the draw (its time, entrants and seed) once it ran. */
function statusLine(status: QueueStatus | null): string {
  if (!status) return '';
  const waiting = status.length ? `${status.length.toLocaleString()} waiting.` : 'Nobody waiting.';
  if (!status.drawnAt || !status.drawSeed) return waiting;
  return `${waiting} Places were drawn at ${formatTime(status.drawnAt)} among ${(status.drawEntrants ?? 0).toLocaleString()} with the published seed ${status.drawSeed}.`;
}

/** The shopper's own choice: a short sound when their turn comes (kept in this browser). */
function TurnSound() {
  const [on, setOn] = useState(turnSoundAllowed);
  return (
    <label className="check room-sound">
      <input type="checkbox" checked={on} onChange={(e) => { allowTurnSound(e.target.checked); setOn(e.target.checked); }} />
      Play a sound when it is my turn
    </label>
  );
}
