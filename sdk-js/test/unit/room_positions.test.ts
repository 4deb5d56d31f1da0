// The position kept per room (src/room_positions.ts): what a join reply sets, which room
// messages move it on, and which count as seen already.
import { describe, expect, test } from 'vitest';
import { RoomPositions } from '../../src/room_positions.js';

describe('RoomPositions', () => {
  test('a join without since takes the room position from the reply', () => {
    const p = new RoomPositions();
    p.joined('r', { offset: 7, epoch: 'E' }, undefined);
    expect(p.get('r')).toEqual({ offset: 7, epoch: 'E' });
  });

  test('a recovered join stays at since until the replayed messages move it on', () => {
    const p = new RoomPositions();
    p.joined('r', { offset: 9, epoch: 'E', recovered: true }, { offset: 5, epoch: 'E' });
    expect(p.get('r')).toEqual({ offset: 5, epoch: 'E' });
    expect(p.advance('r', 6, 'E')).toBe(true);
    expect(p.get('r')).toEqual({ offset: 6, epoch: 'E' });
  });

  test('history_trimmed keeps since, so the retained messages that follow are shown', () => {
    const p = new RoomPositions();
    p.joined('r', { offset: 9, epoch: 'E', recovered: false, reason: 'history_trimmed' }, { offset: 2, epoch: 'E' });
    expect(p.advance('r', 7, 'E')).toBe(true);
  });

  test.each(['epoch_changed', 'unknown_offset'] as const)('%s resets the position to the reply', (reason) => {
    const p = new RoomPositions();
    p.joined('r', { offset: 3, epoch: 'F', recovered: false, reason }, { offset: 40, epoch: 'E' });
    expect(p.get('r')).toEqual({ offset: 3, epoch: 'F' });
    expect(p.advance('r', 4, 'F')).toBe(true);
  });

  test('a message at or below the last offset of the same epoch is a duplicate and moves nothing', () => {
    const p = new RoomPositions();
    p.joined('r', { offset: 4, epoch: 'E' }, undefined);
    expect(p.advance('r', 4, 'E')).toBe(false);
    expect(p.advance('r', 2, 'E')).toBe(false);
    expect(p.get('r')).toEqual({ offset: 4, epoch: 'E' });
    expect(p.advance('r', 5, 'E')).toBe(true);
    expect(p.get('r')).toEqual({ offset: 5, epoch: 'E' });
  });

  test("a message of another epoch is new, whatever its offset; the stream's start has no epoch", () => {
    const p = new RoomPositions();
    p.joined('r', { offset: 0, epoch: '' }, undefined);
    expect(p.advance('r', 1, 'E')).toBe(true);
    expect(p.advance('r', 1, 'G')).toBe(true);
    expect(p.get('r')).toEqual({ offset: 1, epoch: 'G' });
  });

  test('rooms are kept apart, and a forgotten room has no position', () => {
    const p = new RoomPositions();
    p.joined('a', { offset: 3, epoch: 'E' }, undefined);
    p.joined('b', { offset: 1, epoch: 'E' }, undefined);
    expect(p.advance('b', 2, 'E')).toBe(true);
    expect(p.get('a')).toEqual({ offset: 3, epoch: 'E' });
    p.forget('a');
    expect(p.get('a')).toBeUndefined();
  });
});
