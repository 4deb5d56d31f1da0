// Ports for the services a test starts and stops itself (a Kafka broker, a Redis), the
// JavaScript side of deploy/local/ports.sh: below 32768, since the kernel hands out the
// ports above it to outgoing connections and the suites' many clients would block a later
// bind there (a service stopped and started again must get its port back); from a port
// derived from the pid, skipping ports somebody holds.
import { createServer } from 'node:net';

export function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// A free port from 20000 to 31999 not in `taken`, and with `pair`, the one after it free
// too (Kafka's controller takes it). The ports returned are added to `taken`.
export async function freeLocalPort({ pair = false, taken = new Set() } = {}) {
  const step = pair ? 2 : 1;
  const span = 12000 / step;
  for (let i = 0, port = 20000 + step * (process.pid % span); i < span; ++i, port += step) {
    if (port > 31999 - (step - 1)) port = 20000;
    const ports = pair ? [port, port + 1] : [port];
    if (ports.some((p) => taken.has(p))) continue;
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) {
      for (const p of ports) taken.add(p);
      return port;
    }
  }
  throw new Error('no free port below 32768');
}
