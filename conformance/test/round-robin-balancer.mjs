// A round-robin HTTP load balancer with no affinity, for running the kit against several
// gateways behind one --url: every request and every WebSocket upgrade goes to the next
// gateway, so a case's actors, their POSTs and their polling GETs land on different
// gateways. The one exception is what an SSE deployment must route anyway: a stream that
// comes back with Last-Event-ID goes to the gateway that holds its session (the one that
// set its wsd_conn cookie, which holds the session's secret, as does the
// Wsd-Session-Secret header of a resume); elsewhere it would start a new session by design
// (docs/architecture.md, "Several gateways").
//
// Usage: node round-robin-balancer.mjs http://127.0.0.1:A http://127.0.0.1:B ...
// Prints `listening on http://127.0.0.1:PORT` once it accepts connections.
import http from 'node:http';
import net from 'node:net';

const gateways = process.argv.slice(2).map((u) => new URL(u));
if (gateways.length === 0) {
  console.error('usage: round-robin-balancer.mjs GATEWAY_URL...');
  process.exit(2);
}

let next = 0;
const holderOf = new Map();  // SSE session secret -> the gateway whose stream set its cookie

function pick(headers) {
  const secret = headers['wsd-session-secret'] ?? /(?:^|;\s*)wsd_conn=([^;]+)/.exec(headers.cookie ?? '')?.[1];
  if (headers['last-event-id'] !== undefined && holderOf.has(secret)) return holderOf.get(secret);
  return gateways[next++ % gateways.length];
}

function rememberSseHolder(gateway, headers) {
  for (const cookie of headers['set-cookie'] ?? []) {
    const secret = /^wsd_conn=([^;]+)/.exec(cookie)?.[1];
    if (secret !== undefined) holderOf.set(secret, gateway);
  }
}

const server = http.createServer((req, res) => {
  const gateway = pick(req.headers);
  const upstream = http.request(
    { host: gateway.hostname, port: gateway.port, method: req.method, path: req.url, headers: req.headers, agent: false },
    (answer) => {
      rememberSseHolder(gateway, answer.headers);
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`balancer: ${gateway.host}: ${err.message}`);
  });
  req.pipe(upstream);
  // A client that goes away (an SSE stream dropped, a held poll cancelled) must look the
  // same to the gateway as if it had been connected directly.
  res.on('close', () => upstream.destroy());
});

server.on('upgrade', (req, client, head) => {
  const gateway = pick(req.headers);
  const upstream = net.connect(Number(gateway.port), gateway.hostname, () => {
    let request = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) request += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    upstream.write(`${request}\r\n`);
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  // An orderly end travels through the pipes (close frames included); a reset ends both.
  const resetBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on('error', resetBoth);
  client.on('error', resetBoth);
});

server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
