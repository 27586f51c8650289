import { useCallback, useRef, useState } from 'react';
import type { Product } from './api/client';
import { ActivityFeed } from './components/ActivityFeed';
import { CheckoutDialog } from './components/CheckoutDialog';
import { CatalogueNotice } from './components/CatalogueNotice';
import { HoldsPanel } from './components/HoldsPanel';
import { PaymentDialog } from './components/PaymentDialog';
import { ProductGrid } from './components/ProductGrid';
import { ShopHeader } from './components/ShopHeader';
import { Toasts, useToasts } from './components/Toasts';
import { WaitingRoom } from './components/WaitingRoom';
import { useCatalogue } from './hooks/useCatalogue';
import { useClock } from './hooks/useClock';
import { useIndicator, useReach } from './hooks/useConnection';
import { useHolds } from './hooks/useHolds';
import { useIdentity } from './hooks/useIdentity';
import { useOrders } from './hooks/useOrders';
import { useQueuePlaces } from './hooks/useQueuePlaces';
import { openRoom, useRoomFocus } from './hooks/useRoute';
import { useShopActions } from './hooks/useShopActions';
import { useShopperStream } from './hooks/useShopperStream';
import { useStockStream } from './hooks/useStockStream';
import { useTurnTitle } from './hooks/useTurnTitle';
import { canComputeDrawKeys, roomView, ticketFrom, type Ticket } from './queue';
import { maxQuantity, salePhase } from './sale';
import { shownStock } from './state';

// The hooks call one another back only through functions run after a render (an answer, a message, a timer), so they
// may name one declared further down; their effects run in this order (sign-in first, then the catalogue's first read).
/** The shop: each part of what the page knows lives in its hook (src/hooks); this composes them into the view. */
export function App({ roomId }: { roomId: string | null }) {
  const { clock, now, serverNow } = useClock();
  const { toasts, toast, dismiss } = useToasts();
  const [announcement, announce] = useState('');
  const reach = useReach(toast, () => void catalogue.load());
  const identity = useIdentity(clock, { afterSignIn: () => Promise.all([holds.load(), orders.load()]).then(() => {}), onError: reach.fail });
  const { api } = identity;
  const catalogue = useCatalogue(api, { onLoaded: (list) => stock.fromCatalogue(list), onSilent: reach.setSilent });
  const { byId, rules, nameOf } = catalogue;
  const stock = useStockStream(api, clock, {
    onCatalogueStale: () => void catalogue.load(), knows: (id) => catalogue.current()[id] !== undefined,
    onPolled: catalogue.take, onSilent: reach.setSilent,
  });
  const orders = useOrders(api);
  const holds = useHolds(api, { clock, now, toast, announce, nameOf: (id) => catalogue.current()[id ?? '']?.name });
  const shopper = useShopperStream(identity.ready, identity.token, {
    rereadHolds: holds.load, rereadPlaces: () => places.readAll(), onHold: (m) => {
      holds.pushed(m);
      if (m.change === 'COMPLETED') void orders.load().catch(() => {}); // paid in another tab: its order shows here too
    }, onQueue: (m) => places.merge(ticketFrom(m)),
  });
  const places = useQueuePlaces(api, {
    signedIn: identity.ready, streamLive: shopper.status === 'live', products: catalogue.products, clock, now, toast, announce, nameOf,
  });
  useTurnTitle(places.places, clock);
  const indicator = useIndicator({
    online: reach.online, shopSilent: reach.silent, stockStatus: stock.status, holdStatus: shopper.status,
    synced: stock.synced && identity.ready && shopper.synced, catalogueReady: catalogue.state.state === 'ready',
  }, toast, dismiss);
  const { offline, pausedLabel } = indicator;
  const [panelOpen, setPanelOpen] = useState(false);
  const holdsButton = useRef<HTMLButtonElement>(null);
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const roomHeading = useRef<HTMLHeadingElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  useRoomFocus(roomId, pageRef);
  // Before the shop's rules are in, only "Reserve again" (from the holds panel) can ask: for one unit, the least any shop takes.
  const maxQuantityOf = (product: Product) =>
    maxQuantity(rules?.maxPerRequest ?? 1, shownStock(stock.stock, product).availableStock, holds.mayTake(product));
  const actions = useShopActions({ api, clock, holds, orders, stock, places, byId, nameOf, maxQuantityOf, toast, fail: reach.fail, panelHeading, roomHeading });
  const { remaining } = holds;
  const { busy } = actions;
  const loadRoomStatus = useCallback(() => api.queueStatus(roomId ?? ''), [api, roomId]);

  // Nothing that shows a hold length or a stepper is drawn before the shop's rules are in (see useCatalogue).
  const roomProduct = rules && roomId && byId[roomId]?.queue ? byId[roomId] : undefined;
  const roomHold = roomProduct ? holds.running.find((h) => h.productId === roomProduct.id) : undefined;
  const placeOf = (product: Product) => places.places[product.id ?? ''];
  const closePanel = () => {
    setPanelOpen(false);
    // After the sheet has closed: while open, its focus trap would take the focus back.
    requestAnimationFrame(() => holdsButton.current?.focus());
  };

  // The shell: the header, the part that scrolls, and the message bar (see Toasts), none over another.
  return (
    <div className="shell">
      <ShopHeader indicator={indicator} running={holds.running.length} panelOpen={panelOpen} buttonRef={holdsButton}
        onToggle={() => setPanelOpen((o) => !o)} />
      <div className="page" ref={pageRef}>
        <main className={offline ? 'inactive' : undefined}>
          {roomProduct && rules ? (
            <WaitingRoom
              key={roomProduct.id}
              product={roomProduct}
              available={shownStock(stock.stock, roomProduct).availableStock}
              total={shownStock(stock.stock, roomProduct).totalStock}
              view={roomView(placeOf(roomProduct), roomProduct, serverNow)}
              myHold={roomHold}
              myHoldRemaining={roomHold ? remaining(roomHold) : undefined}
              bought={holds.holds.some((h) => h.productId === roomProduct.id && h.status === 'COMPLETED')}
              saleUpcoming={salePhase(roomProduct, serverNow).phase === 'upcoming'}
              holdLengthMs={rules.holdMs}
              maxQuantity={maxQuantityOf(roomProduct)}
              busy={busy === roomProduct.id}
              retrying={actions.retrying[roomProduct.id ?? ''] === true}
              offline={offline}
              pausedLabel={pausedLabel}
              polling={shopper.status !== 'live'}
              headingRef={roomHeading}
              loadStatus={loadRoomStatus}
              drawPosition={placeOf(roomProduct)?.state !== 'NOT_IN_QUEUE' ? (placeOf(roomProduct) as Ticket | undefined)?.position ?? null : null}
              canCheckDraw={identity.shopperId !== null && canComputeDrawKeys()}
              onCheckDraw={(seed, position) => places.checkDraw(roomProduct.id!, identity.shopperId ?? '', seed, position)}
              onJoin={() => void actions.join(roomProduct)}
              onLeave={() => void actions.leave(roomProduct)}
              onReserve={(quantity) => void actions.reserve(roomProduct, quantity)}
              onPay={actions.openPayment}
            />
          ) : catalogue.products === null && catalogue.state.state === 'failed' ? (
            <CatalogueNotice kind="failed" retryInMs={catalogue.state.retryAt - now} onRetry={() => void catalogue.load()} />
          ) : catalogue.products?.length === 0 ? (
            <CatalogueNotice kind="empty" />
          ) : (
            <ProductGrid products={catalogue.products} rules={rules} stock={stock.stock} holds={holds} places={places}
              actions={actions} signedIn={identity.ready} indicator={indicator} serverNow={serverNow} onOpenRoom={openRoom} />
          )}
          {!roomProduct && <ActivityFeed purchases={stock.purchases} products={byId} serverNow={serverNow} myHandle={identity.handle} />}
        </main>
        <footer className="bottom">
          <a href="#admin">Operator dashboard</a>
        </footer>
      </div>
      <Toasts toasts={toasts} onDismiss={dismiss} />
      <HoldsPanel open={panelOpen} holds={holds.holds} products={byId} remaining={remaining} headingRef={panelHeading}
        onClose={closePanel} onPay={actions.openPayment} onPayAll={actions.openCheckout} orders={orders.orders}
        onReceipt={actions.openReceipt} onRelease={actions.release} onReserveAgain={actions.reserveAgain}
        canReserve={!offline} retrying={actions.retrying} />
      <PaymentDialog payment={actions.payment} product={actions.payment ? byId[actions.payment.hold.productId ?? ''] : undefined}
        handle={identity.handle} remaining={actions.payment ? remaining(actions.payment.hold) : 0} onPay={actions.pay}
        retrying={actions.payment ? actions.retrying[actions.payment.hold.id ?? ''] === true : false}
        onClose={actions.closePayment} onReserveAgain={(hold) => { actions.closePayment(); actions.reserveAgain(hold); }}
        canReserve={!offline} returnFocus={() => roomHeading.current ?? panelHeading.current} />
      <CheckoutDialog checkout={actions.checkout} products={byId} remaining={remaining} onPay={actions.payAll}
        onClose={actions.closeCheckout} retrying={actions.retrying.cart === true} returnFocus={() => panelHeading.current} />
      <div className="visually-hidden" aria-live="assertive" data-testid="hold-announcement">{announcement}</div>
    </div>
  );
}
