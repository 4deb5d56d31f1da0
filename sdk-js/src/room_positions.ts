// Where this client is in each joined room's message stream, so that a re-join after a
// drop can ask for exactly what it missed (`since`) and a message seen twice is shown once.
// Pure bookkeeping: client.ts feeds it the join replies, room messages and send results.
import type { RoomPosition, RoomRecoveryReason } from './types.js';

/** What a join reply (room_joined / room_created) says about the room's stream. */
export interface JoinReply {
  offset: number;
  epoch: string;
  recovered?: boolean;
  reason?: RoomRecoveryReason;
}

/** The last position seen per room. */
export class RoomPositions {
  private readonly byRoom = new Map<string, RoomPosition>();

  /** The last position seen in `roomId`; undefined for a room not joined. */
  get(roomId: string): RoomPosition | undefined {
    const p = this.byRoom.get(roomId);
    return p ? { ...p } : undefined;
  }

  /** Forgets the room (left, or refused on a re-join). */
  forget(roomId: string): void {
    this.byRoom.delete(roomId);
  }

  /**
   * A join was answered. From `since`, the replayed messages that follow the reply move the
   * position on, so it stays at `since` (also when history was trimmed: the retained ones
   * still follow). Without `since`, or when nothing follows (another epoch, an offset the
   * room never reached), the room's current position is the client's.
   */
  joined(roomId: string, reply: JoinReply, since: RoomPosition | undefined): void {
    const replays = since !== undefined && (reply.recovered === true || reply.reason === 'history_trimmed');
    this.byRoom.set(roomId, replays ? { offset: since.offset, epoch: since.epoch } : { offset: reply.offset, epoch: reply.epoch });
  }

  /**
   * A room message (or this client's own, answered by room_send_success) at `offset` of
   * `epoch`. False when it was seen already: an offset at or below the last one of the
   * same epoch. A message of another epoch starts that epoch's stream.
   */
  advance(roomId: string, offset: number, epoch: string): boolean {
    const last = this.byRoom.get(roomId);
    if (last && last.epoch === epoch && offset <= last.offset) return false;
    this.byRoom.set(roomId, { offset, epoch });
    return true;
  }
}
