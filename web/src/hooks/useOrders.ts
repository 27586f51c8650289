// The shopper's orders, read from the server (after signing in and after each payment), so the history follows the
// identity to any device; an order just placed is shown at once.
import { useCallback, useState } from 'react';
import type { Api, Order } from '../api/client';

export interface Orders {
  orders: Order[];
  load: () => Promise<void>;
  placed: (order: Order) => void;
}

export function useOrders(api: Api): Orders {
  const [orders, setOrders] = useState<Order[]>([]);
  const load = useCallback(async () => {
    setOrders((await api.listOrders()).items ?? []);
  }, [api]);
  const placed = useCallback((order: Order) => setOrders((all) => [order, ...all.filter((o) => o.id !== order.id)]), []);
  return { orders, load, placed };
}
