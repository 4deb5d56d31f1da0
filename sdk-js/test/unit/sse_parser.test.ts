import { describe, expect, test } from 'vitest';
import { SseParser, type SseEvent } from '../../src/transport_sse.js';

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const p = new SseParser((e) => events.push(e), (c) => comments.push(c));
  for (const c of chunks) p.push(c);
  return { events, comments, retry: p.retryMs };
}

describe('SseParser', () => {
  test("parses wsd's stream: retry, ids, data, keepalive comments", () => {
    const { events, comments, retry } = parse([
      'retry: 1000\n\nid: c1:1\ndata: {"type":"connected","connId":"c1"}\n\n: keepalive\n\nid: c1:2\ndata: {"type":"pong"}\n\n',
    ]);
    expect(retry).toBe(1000);
    expect(events).toEqual([
      { id: 'c1:1', data: '{"type":"connected","connId":"c1"}' },
      { id: 'c1:2', data: '{"type":"pong"}' },
    ]);
    expect(comments).toEqual(['keepalive']);
  });

  test('events split across chunks anywhere, CRLF and CR line ends included', () => {
    const text = 'id: a:1\r\ndata: {"x":\r\ndata: 1}\r\n\r\nid: a:2\rdata: 2\r\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(events, `cut at ${cut}`).toEqual([
        { id: 'a:1', data: '{"x":\n1}' },
        { id: 'a:2', data: '2' },
      ]);
    }
  });

  test('an event without data is not dispatched; the id persists to later events', () => {
    const { events } = parse(['id: k:5\n\ndata: x\n\n']);
    expect(events).toEqual([{ id: 'k:5', data: 'x' }]);
  });

  test('an unfinished event is held until its blank line', () => {
    const { events } = parse(['data: half']);
    expect(events).toEqual([]);
  });
});
