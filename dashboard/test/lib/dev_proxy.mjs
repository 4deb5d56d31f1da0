// For working on the page without rebuilding wsd: serves / and /dashboard/* from the
// files on disk (dashboard/, and sdk-js/dist/esm as /dashboard/sdk/) and passes every
// other request, WebSocket upgrades included, to a running wsd. The harness puts it in
// front of wsd when WSD_DASHBOARD_FROM_DISK=1; the tests then run against the files as
// they are, not as they were embedded at the last build.
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const DASHBOARD = new URL('../../', import.meta.url).pathname;
const SDK = new URL('../../../sdk-js/dist/esm/', import.meta.url).pathname;
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json' };

function fileFor(path) {
  if (path === '/' || path === '/dashboard' || path === '/dashboard/') return join(DASHBOARD, 'index.html');
  if (!path.startsWith('/dashboard/')) return undefined;
  const rest = normalize(path.slice('/dashboard/'.length));
  if (rest.startsWith('..') || rest.startsWith('test/')) return null;
  return rest.startsWith('sdk/') ? join(SDK, rest.slice(4)) : join(DASHBOARD, rest);
}

// Resolves with {url, close()}: a proxy on 127.0.0.1 in front of `target` (http://host:port).
export async function startDevProxy(target) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const file = fileFor(req.url.split('?')[0]);
    if (file === undefined) {
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      res.on('close', () => forward.destroy());
      req.pipe(forward);
      return;
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"error","code":"not_found","msg":"no such file"}');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  server.on('upgrade', (req, socket, head) => {
    const out = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), '', ''];
      out.write(lines.join('\r\n'));
      if (head.length) out.write(head);
      out.pipe(socket).pipe(out);
    });
    out.on('error', () => socket.destroy());
    socket.on('error', () => out.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
