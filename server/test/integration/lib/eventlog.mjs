// Reading the embedded event log of a test server (DATA_DIR/log), as a test that checks
// which events a request left behind. Only for the embedded log: with WSD_KAFKA_BROKERS
// set the log is a Kafka topic and DATA_DIR/log does not exist.
//
// Framing (server/src/log/segment_format.h): segment files named by their first offset,
// %020llu.log; records of u32 length | u32 crc32 of the payload | payload (the event's
// JSON), both u32 little-endian.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';

const HEADER_BYTES = 8;

// Every event in the log, in log order, parsed. A record the server is still writing (a
// torn tail) ends the read; a CRC mismatch before the tail is an error.
export function readEvents(dataDir) {
  const dir = join(dataDir, 'log');
  if (!existsSync(dir)) return [];
  const segments = readdirSync(dir).filter((n) => /^\d{20}\.log$/.test(n)).sort();
  const events = [];
  for (const name of segments) {
    const data = readFileSync(join(dir, name));
    let pos = 0;
    while (pos + HEADER_BYTES <= data.length) {
      const length = data.readUInt32LE(pos);
      const crc = data.readUInt32LE(pos + 4);
      if (length === 0) throw new Error(`${name}: a record of length 0 at byte ${pos}`);
      if (pos + HEADER_BYTES + length > data.length) break;  // being written
      const payload = data.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + length);
      if (zlib.crc32 && zlib.crc32(payload) !== crc) {
        if (pos + HEADER_BYTES + length === data.length) break;  // the tail, maybe being written
        throw new Error(`${name}: CRC mismatch at byte ${pos}`);
      }
      events.push(JSON.parse(payload.toString('utf8')));
      pos += HEADER_BYTES + length;
    }
  }
  return events;
}

// Polls the log until `check(events)` returns something other than undefined/false and
// resolves with it. The server appends asynchronously to its answers, so a test reads
// the log the way an operator's tool would: again until the event is there.
export async function waitForEvents(dataDir, check, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = readEvents(dataDir);
    const result = check(events);
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) {
      const types = events.map((e) => e.type).join(', ');
      throw new Error(`timed out waiting for ${what} in the event log; it holds: ${types}`);
    }
    await new Promise((r) => setTimeout(r, 25));  // a polling interval, not a wait for something
  }
}
