// A TCP proxy on 127.0.0.1 in front of wsd, for what a network does to clients:
// - block(paths): connections whose first request line targets one of these paths
//   (e.g. '/ws', '/sse') are cut at once, as a proxy that refuses them would;
// - stall(paths): such connections are held open and never answered;
// - freeze(): every connection open now stops carrying bytes either way but stays open
//   (a dead link: no FIN, no RST); connections made later work;
// - cut(): every connection open now is reset.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Proxy {
  url: string;
  port: number;
  block(paths: string[]): void;
  stall(paths: string[]): void;
  freeze(): void;
  cut(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  let blocked: string[] = [];
  let stalled: string[] = [];
  const pairs = new Set<{ client: Socket; upstream: Socket | undefined; frozen: boolean }>();
  const server: Server = createServer((client) => {
    const pair = { client, upstream: undefined as Socket | undefined, frozen: false };
    pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    client.once('data', (first: Buffer) => {
      const line = first.toString('latin1').split('\r\n', 1)[0] ?? '';
      const path = (line.split(' ')[1] ?? '').split('?')[0] ?? '';
      if (blocked.includes(path)) {
        client.destroy();
        return;
      }
      if (stalled.includes(path)) return;
      const upstream = connect(targetPort, '127.0.0.1');
      pair.upstream = upstream;
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      upstream.write(first);
      upstream.on('data', (chunk) => {
        if (!pair.frozen) client.write(chunk);
      });
      client.on('data', (chunk) => {
        if (!pair.frozen) upstream.write(chunk);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    block(paths) {
      blocked = paths;
    },
    stall(paths) {
      stalled = paths;
    },
    freeze() {
      for (const p of pairs) p.frozen = true;
    },
    cut() {
      for (const p of pairs) {
        p.client.resetAndDestroy?.() ?? p.client.destroy();
        p.upstream?.destroy();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
