import type { Product } from '../api/client';
import type { Holds } from '../hooks/useHolds';
import type { Indicator } from '../hooks/useConnection';
import type { QueuePlaces } from '../hooks/useQueuePlaces';
import type { ShopActions } from '../hooks/useShopActions';
import { queueCard } from '../queue';
import { salePhase } from '../sale';
import type { ShopRules } from '../settings';
import { shownStock, timeIsUp, type Stock } from '../state';
import { ProductCard, ProductSkeleton } from './ProductCard';

interface Props {
  /** null: not loaded yet; the grid stays skeletons until the products and the shop's rules are both in. */
  products: Product[] | null;
  rules: ShopRules | null;
  stock: Record<string, Stock>;
  holds: Holds;
  places: QueuePlaces;
  actions: ShopActions;
  /** The shopper is known (signed in, holds read). */
  signedIn: boolean;
  indicator: Indicator;
  serverNow: number;
  onOpenRoom: (productId: string) => void;
}

/** The product grid: each card from what the server last said of its product, its sale, and the shopper's hold and place. */
export function ProductGrid({ products, rules, stock, holds, places, actions, signedIn, indicator, serverNow, onOpenRoom }: Props) {
  return (
    <section className="grid" aria-label="Products" aria-busy={products === null || rules === null}>
      {products === null || rules === null
        ? Array.from({ length: 6 }, (_, i) => <ProductSkeleton key={i} />)
        : products.map((product) => {
          const mine = holds.shownOn(product.id);
          const running = mine !== undefined && !timeIsUp(mine, holds.remaining(mine));
          const sale = salePhase(product, serverNow);
          const shown = shownStock(stock, product);
          const place = places.places[product.id ?? ''];
          return (
            <ProductCard
              key={product.id}
              product={product}
              stock={shown}
              myHold={mine}
              myHoldRemaining={mine ? holds.remaining(mine) : undefined}
              holdLengthMs={rules.holdMs}
              maxPerRequest={rules.maxPerRequest}
              sale={sale}
              remainingForMe={holds.mayTake(product)}
              busy={actions.busy === product.id}
              retrying={actions.retrying[product.id ?? ''] === true}
              ready={signedIn && (!product.queue || place !== undefined)}
              offline={indicator.offline}
              pausedLabel={indicator.pausedLabel}
              queue={product.queue ? queueCard(place, product, {
                soldOut: shown.availableStock === 0, saleEnded: sale.phase === 'ended', holding: running, serverNow,
              }) : undefined}
              onReserve={(quantity) => actions.reserve(product, quantity)}
              onJoin={() => void actions.join(product)}
              onOpenRoom={() => onOpenRoom(product.id!)}
              onPay={() => mine && actions.openPayment(mine)}
            />
          );
        })}
    </section>
  );
}
