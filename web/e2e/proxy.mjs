// A proxy between the page and the shop, for tests where the network misbehaves: every request and WebSocket
// upgrade is passed on to the shop, except those the test's rule takes over. Every answer it passes on closes its
// connection, so each request of the page comes on a fresh one: Chromium silently sends a request again (even a
// POST) when a connection it reused closes without an answer, and the test must see what the page itself does.
import http from 'node:http';
import net from 'node:net';

/**
 * Starts a proxy to `target` on 127.0.0.1. `rule(request)` says what to do with each request (`{method, url,
 * headers}`): 'forward' (undefined too), 'lose-answer' (pass it on, wait for the shop's whole answer — the request
 * has taken effect — then close the page's connection without a byte of it), 'swallow-answer' (pass it on and never
 * answer the page: the page gives up on it), `{after: promise}` (pass it on once the promise settles) or `{status,
 * headers, body}` to answer it here without the shop. `requests` lists every request (with `at`, when it arrived).
 */
export async function startProxy(target, rule = () => 'forward') {
  const shop = new URL(target);
  const requests = [];
  const streams = new Set();
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const request = { method: req.method, url: req.url, headers: req.headers, at: Date.now() };
    const action = rule(request) ?? 'forward';
    requests.push({ ...request, action });
    if (action.after) await action.after;
    else if (typeof action === 'object') {
      res.writeHead(action.status, { Connection: 'close', ...action.headers });
      res.end(action.body === undefined ? '' : JSON.stringify(action.body));
      return;
    }
    const upstream = http.request({ host: shop.hostname, port: shop.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      async (answer) => {
        if (action === 'lose-answer' || action === 'swallow-answer') {
          for await (const _ of answer); // the whole answer: the shop has committed
          if (action === 'lose-answer') req.socket.destroy();
          return;
        }
        res.writeHead(answer.statusCode, { ...answer.headers, connection: 'close' });
        answer.pipe(res);
      });
    upstream.on('error', () => req.socket.destroy());
    upstream.end(Buffer.concat(chunks));
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(Number(shop.port), shop.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
    streams.add(socket);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => {
      streams.forEach((socket) => socket.destroy());
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
