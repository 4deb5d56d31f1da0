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
            let parsed: Record<string, unknown> = {};
            try {
              parsed = JSON.parse(body) as Record<string, unknown>;
            } catch {
              /* not JSON */
            }
            const status = res.statusCode ?? 0;
            refusal = new WsdError(
              typeof parsed.code === 'string' ? parsed.code : 'transport_failed',
              typeof parsed.msg === 'string' ? parsed.msg : `WebSocket handshake refused with HTTP ${status}`,
              { status, body: parsed },
            );
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
          if (!opened) {
            // Give a Node-style refusal (unexpected-response) the chance to be read first.
            setTimeout(() => reject(refusal ?? new WsdError('transport_failed', `WebSocket to ${ctx.endpoints.ws} failed`)), 50);
          }
        };
        ws.onclose = (event: CloseEvent) => {
          if (!opened) {
            setTimeout(() => reject(refusal ?? new WsdError('transport_failed', `WebSocket closed before it opened (${event.code})`)), 50);
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
