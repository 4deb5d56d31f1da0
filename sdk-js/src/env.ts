// What the platform provides: the global WebSocket, EventSource and fetch of browsers (and
// of Node 22+), else, in Node 20, the `ws` package, loaded on first use only (an optional
// peer dependency: browsers and Node 22+ never load it).
import { WsdError } from './errors.js';
import type { WebSocketConstructor, EventSourceConstructor } from './types.js';

let wsPackage: Promise<WebSocketConstructor> | undefined;

/** The WebSocket constructor to use: `custom`, the global one, else the `ws` package's. */
export function webSocketConstructor(custom?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (custom) return Promise.resolve(custom);
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return Promise.resolve(global);
  wsPackage ??= loadWsPackage();
  return wsPackage;
}

async function loadWsPackage(): Promise<WebSocketConstructor> {
  // A variable specifier keeps bundlers from pulling `ws` into browser builds.
  const name = 'ws';
  try {
    const mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as {
      default?: WebSocketConstructor;
      WebSocket?: WebSocketConstructor;
    };
    const ctor = mod.WebSocket ?? mod.default;
    if (!ctor) throw new Error('the ws package exports no WebSocket');
    return ctor;
  } catch (cause) {
    wsPackage = undefined;
    throw new WsdError(
      'transport_failed',
      'no WebSocket here: install the `ws` package (npm install ws), or use Node 22+, or pass options.WebSocket',
      { cause },
    );
  }
}

/** The EventSource constructor to use, if any. */
export function eventSourceConstructor(custom?: EventSourceConstructor): EventSourceConstructor | undefined {
  return custom ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
}

/** The fetch to use. */
export function fetchFunction(custom?: typeof fetch): typeof fetch {
  const f = custom ?? (globalThis as { fetch?: typeof fetch }).fetch;
  if (!f) throw new WsdError('transport_failed', 'no fetch here: pass options.fetch');
  return custom ? f : f.bind(globalThis);
}
