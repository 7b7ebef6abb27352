import { inflateRawSync } from 'node:zlib';

/**
 * What a zip archive says about itself, read from its central directory without unzipping anything:
 * how many entries and how many bytes they would take once decompressed. A zip bomb declares (or
 * hides) a huge size; callers refuse an archive whose declared total is over their limit, before any
 * library inflates it. ZIP64 archives (sizes over 4 GB, or 65,535 entries) count as too large: nothing
 * Maillage reads needs them.
 */
export type ZipDeclaration =
  | { ok: true; entries: number; uncompressedBytes: number }
  | { ok: false; reason: 'not_zip' | 'broken' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const ZIP64 = 0xffffffff;

export function zipDeclaration(bytes: Uint8Array): ZipDeclaration {
  if (bytes.length < EOCD_SIZE || bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    return { ok: false, reason: 'not_zip' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is last, followed by a comment of at most 65,535 bytes.
  let end = -1;
  for (let at = bytes.length - EOCD_SIZE; at >= Math.max(0, bytes.length - EOCD_SIZE - 0xffff); at--)
    if (view.getUint32(at, true) === EOCD) {
      end = at;
      break;
    }
  if (end < 0) return { ok: false, reason: 'broken' };
  const entries = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryAt = view.getUint32(end + 16, true);
  if (entries === 0xffff || directoryAt === ZIP64 || directorySize === ZIP64)
    return { ok: true, entries, uncompressedBytes: Number.POSITIVE_INFINITY };
  if (directoryAt + directorySize > end) return { ok: false, reason: 'broken' };
  let at = directoryAt;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + CENTRAL_SIZE > end || view.getUint32(at, true) !== CENTRAL)
      return { ok: false, reason: 'broken' };
    const compressed = view.getUint32(at + 20, true);
    const uncompressed = view.getUint32(at + 24, true);
    if (compressed === ZIP64 || uncompressed === ZIP64)
      return { ok: true, entries, uncompressedBytes: Number.POSITIVE_INFINITY };
    total += uncompressed;
    at +=
      CENTRAL_SIZE +
      view.getUint16(at + 28, true) +
      view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true);
  }
  return { ok: true, entries, uncompressedBytes: total };
}

const LOCAL = 0x04034b50;
const LOCAL_SIZE = 30;
const STORED = 0;
const DEFLATED = 8;

/**
 * Whether every entry decompresses to exactly the size the central directory declares, checked by
 * inflating each one with that size as a hard ceiling (zlib stops past it). The directory alone is not
 * enough: a library may trust the local header instead (SheetJS grows its buffer without bound when the
 * local header says 0), so an archive whose directory declares little can still unpack to gigabytes.
 * Call it after `zipDeclaration` has accepted the declared total: the work is then bounded by it.
 */
export function zipInflatesAsDeclared(bytes: Uint8Array): boolean {
  const declared = zipDeclaration(bytes);
  if (!declared.ok || !Number.isFinite(declared.uncompressedBytes)) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - EOCD_SIZE;
  while (end >= 0 && view.getUint32(end, true) !== EOCD) end--;
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < declared.entries; i++) {
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const uncompressed = view.getUint32(at + 24, true);
    const local = view.getUint32(at + 42, true);
    if (local + LOCAL_SIZE > bytes.length || view.getUint32(local, true) !== LOCAL) return false;
    const dataAt = local + LOCAL_SIZE + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataAt + compressed > bytes.length) return false;
    const data = bytes.subarray(dataAt, dataAt + compressed);
    if (method === STORED) {
      if (compressed !== uncompressed) return false;
    } else if (method === DEFLATED) {
      try {
        // One byte of room over the declared size: an entry that fills it says more than it declared.
        const out = inflateRawSync(data, { maxOutputLength: uncompressed + 1 });
        if (out.length !== uncompressed) return false;
      } catch {
        return false; // corrupt data, or more bytes than declared (zlib's ceiling)
      }
    } else return false;
    at +=
      CENTRAL_SIZE +
      view.getUint16(at + 28, true) +
      view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true);
  }
  return true;
}
