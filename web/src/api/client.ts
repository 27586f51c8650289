// The REST API, typed from the OpenAPI document (src/api/schema.d.ts is generated from ../openapi/openapi.json).
import type { components } from './schema';
import type { ServerClock } from '../clock';
import { RETRY_POLICY, sendWithRetries, Unanswered, type RetryNotice, type RetryPolicy } from '../retry';

export type Product = components['schemas']['Product'];
export type Hold = components['schemas']['Hold'];
export type HoldPage = components['schemas']['HoldPage'];
export type ShopperCredentials = components['schemas']['ShopperCredentials'];
export type Purchase = components['schemas']['Purchase'];
export type QueueTicket = components['schemas']['QueueTicket'];
export type QueueStatus = components['schemas']['QueueStatus'];
export type QueueDraw = components['schemas']['QueueDraw'];
export type ShopSettings = components['schemas']['ShopSettings'];
export type CreateProductRequest = components['schemas']['CreateProductRequest'];
export type UpdateProductRequest = components['schemas']['UpdateProductRequest'];
export type AuditPage = components['schemas']['AuditPage'];
export type Order = components['schemas']['Order'];
export type OrderPage = components['schemas']['OrderPage'];
export type AuditRecord = components['schemas']['AuditRecord'];
export type Problem = components['schemas']['Problem'] & Record<string, unknown>;
/** The codes the server's problems carry (each operation's responses in the document list its own). */
export type ErrorCode = components['schemas']['ErrorCode'];

/** A failed call, carrying the server's problem document (its `detail` is what people read). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? 'Request failed');
  }
  /** NETWORK is ours: the request never reached the server. */
  get code(): ErrorCode | 'NETWORK' | undefined {
    return this.problem.code as ErrorCode | 'NETWORK' | undefined;
  }
}

/**
 * The problem document of a failed answer. What a proxy or the HTTP layer answers itself may not be one (an empty
 * 414, an HTML 502): then a problem is made from the status, so a failure is always an ApiError, never a SyntaxError.
 */
export function problemOf(response: Pick<Response, 'status' | 'statusText'>, text: string): Problem {
  const fallback: Problem = { title: response.statusText || 'Request failed', status: response.status, detail: `HTTP ${response.status}` };
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...fallback, ...(parsed as Problem) } : fallback;
  } catch {
    return fallback;
  }
}

/** How a call that is safe to repeat is retried (see retry.ts): the caller hears of each retry. */
export interface Retried {
  onRetry?: (notice: RetryNotice) => void;
}

/** A reserve intent: one press of Reserve / Add, one Idempotency-Key, sent with every attempt of that press. */
export interface ReserveIntent extends Retried {
  idempotencyKey: string;
}

const unanswered = (error: unknown): Problem => error instanceof Unanswered && error.reason === 'timeout'
  ? { title: 'No answer', status: 0, detail: 'The shop did not answer in time. Check your connection.', code: 'NETWORK' }
  : { title: 'Offline', status: 0, detail: 'Cannot reach the shop. Check your connection.', code: 'NETWORK' };

export class Api {
  constructor(
    private readonly clock: ServerClock,
    private token: () => string | null,
    /** Told of every answer that came from the shop itself (not a gateway's 502–504): the shop is there. */
    private onAnswer: () => void = () => {},
    /** How calls safe to repeat are retried (tests shorten it). */
    private readonly retryPolicy: RetryPolicy = RETRY_POLICY,
  ) {}

  /**
   * One call. With `retried`, it is one the server lets us repeat (a keyed reserve, pay, release, join, leave): a
   * lost answer, a timeout, 429 and 502–504 are retried by retry.ts's policy, every attempt with the same headers.
   */
  private async call<T>(method: string, path: string, body?: unknown, bearer?: string, retried?: Retried & { idempotencyKey?: string }): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const auth = bearer ?? this.token();
    if (auth) headers.Authorization = `Bearer ${auth}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (retried?.idempotencyKey) headers['Idempotency-Key'] = retried.idempotencyKey;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const attempt = async (signal?: AbortSignal) => {
      const sentAt = Date.now();
      const answer = await fetch(path, { method, headers, body: payload, signal });
      if (answer.status < 502 || answer.status > 504) this.onAnswer();
      const date = answer.headers.get('Date');
      if (date) this.clock.observe(Date.parse(date), sentAt, Date.now());
      return answer;
    };
    let response: Response;
    try {
      response = retried ? await sendWithRetries(attempt, { policy: this.retryPolicy, onRetry: retried.onRetry }) : await attempt();
    } catch (error) {
      throw new ApiError(unanswered(error));
    }
    const text = await response.text();
    if (!response.ok) {
      throw new ApiError(problemOf(response, text));
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createShopper(): Promise<ShopperCredentials> {
    return this.call('POST', '/api/shoppers');
  }
  /** A fresh token for the current shopper: tokens expire, and every visit renews them. */
  renewToken(): Promise<ShopperCredentials> {
    return this.call('POST', '/api/shoppers/me/token');
  }
  /** The hold length and reserve limits the page shows (cacheable: they change only with the shop's restart). */
  settings(): Promise<ShopSettings> {
    return this.call('GET', '/api/settings');
  }
  recentPurchases(limit = 12): Promise<Purchase[]> {
    return this.call('GET', `/api/activity?limit=${limit}`);
  }
  listProducts(): Promise<Product[]> {
    return this.call('GET', '/api/products');
  }
  getProduct(productId: string): Promise<Product> {
    return this.call('GET', `/api/products/${productId}`);
  }
  /** Retried with the intent's key: a retry of a reserve that went through is answered the first answer again. */
  reserve(productId: string, quantity: number, intent: ReserveIntent): Promise<Hold> {
    return this.call('POST', '/api/reservations', { productId, quantity }, undefined, intent);
  }
  listHolds(size = 50): Promise<HoldPage> {
    return this.call('GET', `/api/reservations?size=${size}`);
  }
  /** Pay; retried without a key: paying a paid hold answers the same 200. */
  complete(holdId: string, retried: Retried = {}): Promise<Hold> {
    return this.call('POST', `/api/reservations/${holdId}/complete`, undefined, undefined, retried);
  }
  /** Pays the holds as one order, all or none; retried with the intent's key (a retry answers the same order). */
  placeOrder(holdIds: string[], intent: ReserveIntent): Promise<Order> {
    return this.call('POST', '/api/orders', { holdIds }, undefined, intent);
  }
  /** The caller's orders, newest first: the purchase history, the same on every device with this identity. */
  listOrders(size = 20): Promise<OrderPage> {
    return this.call('GET', `/api/orders?size=${size}`);
  }
  /** Release; retried without a key: releasing a released hold answers the same 200. */
  cancel(holdId: string, retried: Retried = {}): Promise<Hold> {
    return this.call('POST', `/api/reservations/${holdId}/cancel`, undefined, undefined, retried);
  }
  /** Joins the product's waiting room; retried without a key, as joining again answers the same place (200). */
  joinQueue(productId: string, retried: Retried = {}): Promise<QueueTicket> {
    return this.call('POST', `/api/products/${productId}/queue`, undefined, undefined, retried);
  }
  /** The caller's place; null when not in the queue (404 NOT_IN_QUEUE). */
  async myTicket(productId: string): Promise<QueueTicket | null> {
    try {
      return await this.call<QueueTicket>('GET', `/api/products/${productId}/queue/me`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NOT_IN_QUEUE') return null;
      throw error;
    }
  }
  /** Leaves; retried, as leaving a room one has left changes nothing (204). */
  leaveQueue(productId: string): Promise<void> {
    return this.call('DELETE', `/api/products/${productId}/queue/me`, undefined, undefined, {});
  }
  queueStatus(productId: string): Promise<QueueStatus> {
    return this.call('GET', `/api/products/${productId}/queue`);
  }
  /** A page of the published draw: the places from position `from` on, each with its key. */
  queueDraw(productId: string, from: number, limit: number): Promise<QueueDraw> {
    return this.call('GET', `/api/products/${productId}/queue/draw?from=${from}&limit=${limit}`);
  }
  resetDemo(adminKey: string): Promise<Product[]> {
    return this.call('POST', '/api/admin/reset', undefined, adminKey);
  }

  // The operator's calls: this Api's token is then the admin key. None is retried: a restock repeated adds twice.
  createProduct(product: CreateProductRequest): Promise<Product> {
    return this.call('POST', '/api/admin/products', product);
  }
  /** Sends only the fields given: a field left out stays as it is, null clears it. */
  updateProduct(productId: string, changes: UpdateProductRequest): Promise<Product> {
    return this.call('PATCH', `/api/admin/products/${productId}`, changes);
  }
  restock(productId: string, quantity: number): Promise<Product> {
    return this.call('POST', `/api/admin/products/${productId}/restock`, { quantity });
  }
  endSale(productId: string): Promise<Product> {
    return this.call('POST', `/api/admin/products/${productId}/end-sale`);
  }
  /** Pauses (true) or resumes the waiting room's admissions. */
  pauseQueue(productId: string, paused: boolean): Promise<QueueStatus> {
    return this.call('POST', `/api/admin/products/${productId}/queue/${paused ? 'pause' : 'resume'}`);
  }
  auditLog(page: number, size: number): Promise<AuditPage> {
    return this.call('GET', `/api/admin/audit?page=${page}&size=${size}`);
  }
}
