// WebSocket: GET /ws?project&token&mode upgraded; one JSON message per text frame.
import { webSocketConstructor } from './env.js';
import { WsdError } from './errors.js';
import { sessionQuery, type Transport, type TransportContext } from './transport.js';

// The `ws` package adds Node-style events to its sockets; with them a refused handshake
// tells its HTTP status and body (a browser's WebSocket only says "error").
interface NodeStyleSocket {
  on?(event: 'unexpected-response', listener: (req: unknown, res: NodeResponse) => void): void;
}
interface NodeResponse {
  statusCode?: number;
  on(event: 'data', listener: (chunk: unknown) => void): void;
  on(event: 'end', listener: () => void): void;
}

// A WsdError from an HTTP error body ({code, msg}), or undefined when it is not one.
function refusalFrom(status: number, body: unknown): WsdError | undefined {
  const parsed = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof parsed.code !== 'string') return undefined;
  const msg = typeof parsed.msg === 'string' ? parsed.msg : `WebSocket handshake refused with HTTP ${status}`;
  return new WsdError(parsed.code, msg, { status, body: parsed });
}

// A browser's WebSocket hides a refused upgrade's answer (the page sees close code 1006).
// The same URL as a plain GET runs the handshake's check alone and answers its refusal
// where fetch can read it, or 426 when the upgrade would be admitted (docs/protocol.md,
// "Connecting"); undefined when it names no refusal.
async function askWhyRefused(ctx: TransportContext, url: string): Promise<WsdError | undefined> {
  try {
    const res = await ctx.fetch(`${ctx.endpoints.http}${url.slice(ctx.endpoints.ws.length)}`);
    if (res.status === 426 || res.ok) return undefined;
    return refusalFrom(res.status, await res.json());
  } catch {
    return undefined;  // no answer, or not JSON: the server cannot say
  }
}

export function createWsTransport(ctx: TransportContext): Transport {
  let socket: WebSocket | undefined;
  let closedByUs = false;
  let opened = false;
  let refusal: WsdError | undefined;

  const url = `${ctx.endpoints.ws}/ws?${sessionQuery(ctx.project, ctx.token, { mode: ctx.mode })}`;

  return {
    name: 'ws',

    async open() {
      const Ctor = await webSocketConstructor(ctx.WebSocket);
      if (closedByUs) throw new WsdError('client_closed', 'closed while opening');
      await new Promise<void>((resolve, reject) => {
        let ws: WebSocket;
        try {
          ws = new Ctor(url);
        } catch (cause) {
          reject(new WsdError('transport_failed', `WebSocket: ${String(cause)}`, { cause }));
          return;
        }
        socket = ws;
        const nodeStyle = ws as unknown as NodeStyleSocket;
        nodeStyle.on?.('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk) => (body += String(chunk)));
          res.on('end', () => {
            let parsed: unknown = {};
            try {
              parsed = JSON.parse(body);
            } catch {
              /* not JSON */
            }
            const status = res.statusCode ?? 0;
            refusal = refusalFrom(status, parsed) ??
              new WsdError('transport_failed', `WebSocket handshake refused with HTTP ${status}`, { status, body: {} });
            reject(refusal);
            try {
              ws.close();
            } catch {
              /* already failing */
            }
          });
        });
        ws.onopen = () => {
          opened = true;
          resolve();
        };
        ws.onmessage = (event: MessageEvent) => {
          ctx.handlers.onActivity();
          if (typeof event.data !== 'string') return;  // wsd sends text frames only
          let message: unknown;
          try {
            message = JSON.parse(event.data);
          } catch {
            return;
          }
          if (message && typeof message === 'object' && typeof (message as { type?: unknown }).type === 'string') {
            ctx.handlers.onMessage(message as { type: string });
          }
        };
        ws.onerror = () => {
          // A browser's socket closes after its error: onclose asks why.
          if (!opened && nodeStyle.on) {
            // Give a Node-style refusal (unexpected-response) the chance to be read first.
            setTimeout(() => reject(refusal ?? new WsdError('transport_failed', `WebSocket to ${ctx.endpoints.ws} failed`)), 50);
          }
        };
        ws.onclose = (event: CloseEvent) => {
          if (!opened) {
            const failed = () => new WsdError('transport_failed', `WebSocket closed before it opened (${event.code})`);
            if (nodeStyle.on) {
              setTimeout(() => reject(refusal ?? failed()), 50);
            } else if (!closedByUs) {
              void askWhyRefused(ctx, url).then((why) => reject(why ?? failed()));
            } else {
              reject(failed());
            }
            return;
          }
          if (closedByUs) return;
          closedByUs = true;
          ctx.handlers.onClose({ code: event.code || 1006, reason: event.reason || '' });
        };
      });
    },

    async send(text: string) {
      const ws = socket;
      if (!ws || ws.readyState !== 1 /* OPEN */) throw new WsdError('transport_failed', 'the WebSocket is not open');
      try {
        ws.send(text);
      } catch (cause) {
        throw new WsdError('transport_failed', `WebSocket send failed: ${String(cause)}`, { cause });
      }
    },

    close(code = 1000, reason = '') {
      closedByUs = true;
      const ws = socket;
      if (!ws) return;
      ws.onmessage = null;
      try {
        if (ws.readyState === 0 /* CONNECTING */ || ws.readyState === 1 /* OPEN */) ws.close(code, reason);
      } catch {
        /* closing anyway */
      }
    },
  };
}
