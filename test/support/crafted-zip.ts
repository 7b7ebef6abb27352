import { deflateRawSync } from 'node:zlib';

/**
 * A small zip written by hand: one stored entry, whose central directory (and local header) declare
 * `declared` bytes once decompressed — what a zip bomb says, or lies about.
 */
export function craftedZip(declared: number, name = 'xl/worksheets/sheet1.xml', data = 'x'): Uint8Array {
  const enc = new TextEncoder();
  const file = enc.encode(name);
  const body = enc.encode(data);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint32(18, body.length, true);
  local.setUint32(22, declared, true);
  local.setUint16(26, file.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint32(20, body.length, true);
  central.setUint32(24, declared, true);
  central.setUint16(28, file.length, true);
  const localSize = 30 + file.length + body.length;
  const centralSize = 46 + file.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, localSize, true);
  const parts = [
    new Uint8Array(local.buffer),
    file,
    body,
    new Uint8Array(central.buffer),
    file,
    new Uint8Array(end.buffer),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One deflated entry whose central directory declares `central` bytes and its local header `local`. */
export function deflatedZip(content: Uint8Array, central: number, local: number): Uint8Array {
  const name = new TextEncoder().encode('xl/worksheets/sheet1.xml');
  const data = deflateRawSync(content);
  const head = new DataView(new ArrayBuffer(30));
  head.setUint32(0, 0x04034b50, true);
  head.setUint16(4, 20, true);
  head.setUint16(8, 8, true);
  head.setUint32(18, data.length, true);
  head.setUint32(22, local, true);
  head.setUint16(26, name.length, true);
  const dir = new DataView(new ArrayBuffer(46));
  dir.setUint32(0, 0x02014b50, true);
  dir.setUint16(4, 20, true);
  dir.setUint16(6, 20, true);
  dir.setUint16(10, 8, true);
  dir.setUint32(20, data.length, true);
  dir.setUint32(24, central, true);
  dir.setUint16(28, name.length, true);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + name.length, true);
  end.setUint32(16, 30 + name.length + data.length, true);
  return Buffer.concat([
    new Uint8Array(head.buffer),
    name,
    data,
    new Uint8Array(dir.buffer),
    name,
    new Uint8Array(end.buffer),
  ]);
}
