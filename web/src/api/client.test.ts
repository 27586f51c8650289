import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError } from './client';
import { ServerClock } from '../clock';

// What the HTTP layer or a proxy may answer instead of a problem document: the client must still fail with an
// ApiError carrying the status, never with a SyntaxError from JSON.parse.
function answering(status: number, body: string, type?: string) {
  vi.stubGlobal('fetch', async () => new Response(body, { status, headers: type ? { 'Content-Type': type } : {} }));
}

async function failure(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('api client errors', () => {
  const api = new Api(new ServerClock(), () => null);
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the problem document the server sent', async () => {
    answering(409, '{"title":"Not enough stock","status":409,"detail":"Only 3 left","code":"OUT_OF_STOCK"}', 'application/problem+json');
    const error = await failure(api.reserve('p', 1, { idempotencyKey: 'k' }));
    expect(error.code).toBe('OUT_OF_STOCK');
    expect(error.message).toBe('Only 3 left');
  });

  it('turns an empty error body into a problem from the status', async () => {
    answering(414, '');
    const error = await failure(api.listProducts());
    expect(error.problem.status).toBe(414);
    expect(error.message).toBe('HTTP 414');
  });

  it('turns an HTML error page into a problem from the status', async () => {
    answering(502, '<html><body>Bad Gateway</body></html>', 'text/html');
    const error = await failure(api.createShopper());
    expect(error.problem.status).toBe(502);
    expect(error.code).toBeUndefined();
  });

  it('turns JSON that is not an object into a problem from the status', async () => {
    answering(500, '[1,2]', 'application/json');
    expect((await failure(api.recentPurchases())).problem.status).toBe(500);
    answering(431, 'null', 'application/json');
    expect((await failure(api.renewToken())).problem.status).toBe(431);
  });
});

describe('waiting room calls', () => {
  const api = new Api(new ServerClock(), () => 'token');
  afterEach(() => vi.unstubAllGlobals());

  it('reads "not in the queue" as no ticket, and any other failure as a failure', async () => {
    answering(404, '{"title":"Not in the queue","status":404,"detail":"you are not in this product\'s queue","code":"NOT_IN_QUEUE"}', 'application/problem+json');
    expect(await api.myTicket('p')).toBeNull();
    answering(404, '{"title":"Not found","status":404,"detail":"no product","code":"PRODUCT_NOT_FOUND"}', 'application/problem+json');
    expect((await failure(api.myTicket('p'))).code).toBe('PRODUCT_NOT_FOUND');
  });
});
