// Draws the app icon (a white water drop on a blue rounded square) into resources/icon.png.
// Kept as a script so the icon is reproducible; run it after changing the drawing.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 512;
const px = Buffer.alloc(size * size * 4);
const inRoundedSquare = (x, y) => {
  const r = 96,
    m = 16;
  const cx = Math.min(Math.max(x, m + r), size - m - r),
    cy = Math.min(Math.max(y, m + r), size - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && y >= m && x < size - m && y < size - m;
};
const inDrop = (x, y) => {
  const cx = 256,
    cy = 300,
    r = 120;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  // the tip: the two tangents from (256, 90) to the circle
  const tip = 90,
    d = cy - tip;
  if (y >= tip && y <= cy - (r * r) / d) return Math.abs(x - cx) <= (y - tip) * (r / Math.sqrt(d * d - r * r));
  return false;
};
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const i = (y * size + x) * 4;
    if (!inRoundedSquare(x, y)) continue;
    const [r, g, b] = inDrop(x, y) ? [255, 255, 255] : [16 + (y >> 4), 104 + (y >> 3), 184];
    px.set([r, g, b, 255], i);
  }
}
const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
writeFileSync(
  new URL('../resources/icon.png', import.meta.url),
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
