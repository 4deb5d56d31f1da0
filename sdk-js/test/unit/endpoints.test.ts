import { describe, expect, test } from 'vitest';
import { endpoints, sessionQuery } from '../../src/transport.js';
import { WsdError } from '../../src/errors.js';

describe('endpoints', () => {
  test.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080', 'ws://127.0.0.1:8080'],
    ['https://h.example/', 'https://h.example', 'wss://h.example'],
    ['ws://h:1', 'http://h:1', 'ws://h:1'],
    ['wss://h/prefix/', 'https://h/prefix', 'wss://h/prefix'],
    ['wss://h/prefix/ws', 'https://h/prefix', 'wss://h/prefix'],
    ['http://h/sse', 'http://h', 'ws://h'],
  ])('%s → %s and %s', (url, http, ws) => {
    expect(endpoints(url)).toEqual({ http, ws });
  });

  test('anything else is refused with a clear error', () => {
    expect(() => endpoints('ftp://h')).toThrow(WsdError);
    expect(() => endpoints('not a url')).toThrow(/not a URL/);
  });

  test('query values are escaped', () => {
    expect(sessionQuery('p&x', 't=1', { mode: 'long', connId: undefined })).toBe('project=p%26x&token=t%3D1&mode=long');
  });
});
