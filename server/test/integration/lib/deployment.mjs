// A distributed deployment for a test: several gateways on one Kafka topic, optionally a
// Redis database of its own for them and a projector, and a load balancer with no
// affinity in front of them.
import { startServer, startProjector, sharedDeployment } from './server.mjs';
import { freshProject } from './admin.mjs';
import { freshRedisUrl, redisClient } from './redis.mjs';

export async function startDeployment({
  gateways = 2, redis = true, projector = true, gatewayArgs = [], projectorArgs = [],
} = {}) {
  const shared = sharedDeployment(redis ? await freshRedisUrl() : undefined);
  const args = redis ? ['--redis', shared.redisUrl, ...gatewayArgs] : gatewayArgs;
  const d = { shared, gateways: [], projector: null, redis: null };
  for (let i = 0; i < gateways; ++i) d.gateways.push(await startServer(args, shared, 'serve'));
  if (projector) d.projector = await startProjector(shared, { extraArgs: projectorArgs });
  if (redis) d.redis = await redisClient(shared.redisUrl);
  d.dispose = async () => {
    await Promise.all(d.gateways.map((g) => g.dispose()));
    await d.projector?.stop();
    await d.redis?.quit();
  };
  return d;
}

// What a round-robin load balancer does: every request (every read of `url`) goes to the
// next gateway. A client that reads the URL per request spreads its requests over all.
export function roundRobin(servers) {
  let next = 0;
  const pick = () => servers[next++ % servers.length];
  return {
    adminToken: servers[0].adminToken,
    get url() { return pick().url; },
    get wsUrl() { return pick().wsUrl; },
  };
}

// A fresh project created through the first gateway, once every gateway has applied it
// (each reads the log on its own).
export async function projectKnownToAll(servers) {
  const p = await freshProject(servers[0]);
  for (const server of servers.slice(1)) {
    const deadline = Date.now() + 10000;
    for (;;) {
      const res = await fetch(`${server.url}/poll?project=${p.project}&token=${p.token}`);
      await res.body.cancel();
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${server.url} never learned project ${p.project}`);
      await new Promise((r) => setTimeout(r, 50));  // a retry interval, not a wait for something
    }
  }
  return p;
}
