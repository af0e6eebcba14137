import { inflateSync } from 'node:zlib';

/** An entry that is there by construction (tsconfig's noUncheckedIndexedAccess cannot know). */
function at<T>(list: ArrayLike<T>, index: number): T {
  const value = list[index];
  if (value === undefined) throw new Error(`nothing at ${index}`);
  return value;
}

/**
 * Reads a QR code from a screenshot, as a phone's camera would read the pages' QR codes, without a
 * decoding package: the PNG's pixels (zlib, as PNG stores them), the modules sampled at their
 * centres, then ISO/IEC 18004's layout read back (format information, unmasking, the zigzag, the
 * blocks) into the byte-mode text. It reads clean, upright screenshots of error-correction level M
 * up to version 10, which is what the pages draw; it corrects no errors, so a module drawn wrong
 * reads as wrong text.
 */
export function readQrCode(png: Buffer): string {
  return decodeModules(sampleModules(decodePng(png)));
}

interface Image {
  width: number;
  height: number;
  /** Whether the pixel at (x, y) is dark. */
  dark(x: number, y: number): boolean;
}

/** An 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are). */
export function decodePng(png: Buffer): Image {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [bitDepth, colourType, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (bitDepth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6)) throw new Error(`unsupported PNG: depth ${bitDepth}, colour ${colourType}, interlace ${interlace}`);
      channels = colourType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = at(raw, y * (stride + 1));
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? at(pixels, y * stride + x - channels) : 0;
      const up = y > 0 ? at(pixels, (y - 1) * stride + x) : 0;
      const upLeft = y > 0 && x >= channels ? at(pixels, (y - 1) * stride + x - channels) : 0;
      let value = at(line, x);
      if (filter === 1) value += left;
      else if (filter === 2) value += up;
      else if (filter === 3) value += (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        value += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + x] = value & 0xff;
    }
  }
  return {
    width,
    height,
    dark: (x, y) => {
      const i = y * stride + x * channels;
      return 0.299 * at(pixels, i) + 0.587 * at(pixels, i + 1) + 0.114 * at(pixels, i + 2) < 128;
    },
  };
}

/**
 * The modules, from where the top-left finder pattern begins to where the top-right one ends: the
 * finder's top row (seven modules) says about how big a module is, which says the version.
 */
function sampleModules(image: Image): boolean[][] {
  let top = -1;
  let left = -1;
  for (let y = 0; y < image.height && top < 0; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.dark(x, y)) {
        [top, left] = [y, x];
        break;
      }
    }
  }
  if (top < 0) throw new Error('no dark pixel: no QR code in the image');
  let run = 0;
  while (left + run < image.width && image.dark(left + run, top)) run++;
  let right = image.width - 1;
  while (right > left && !image.dark(right, top)) right--;
  // The finder's seven modules give the size roughly (a pixel either way, at a few pixels a module);
  // the nearest version's count then gives it exactly, from edge to edge of the symbol.
  const version = Math.round(((right - left + 1) / (run / 7) - 17) / 4);
  const count = 17 + 4 * version;
  const moduleSize = (right - left + 1) / count;
  if (version < 1) throw new Error('no QR code in the image');
  return Array.from({ length: count }, (_, row) =>
    Array.from({ length: count }, (_, col) => image.dark(Math.floor(left + (col + 0.5) * moduleSize), Math.floor(top + (row + 0.5) * moduleSize))),
  );
}

/** Level M's blocks for versions 1–10: [blocks, codewords per block, data codewords per block], in groups. */
const BLOCKS_M: number[][][] = [
  [],
  [[1, 26, 16]],
  [[1, 44, 28]],
  [[1, 70, 44]],
  [[2, 50, 32]],
  [[2, 67, 43]],
  [[4, 43, 27]],
  [[4, 49, 31]],
  [[2, 60, 38], [2, 61, 39]],
  [[3, 58, 36], [2, 59, 37]],
  [[4, 69, 43], [1, 70, 44]],
];
const ALIGNMENT = [[], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];
const LEVELS = ['M', 'L', 'H', 'Q']; // the two format bits' meanings, 00 to 11
const MASKS: ((r: number, c: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r * c) % 3) + ((r + c) % 2)) % 2 === 0,
];

/** The 15-bit format word of 5 data bits: BCH(15,5) with generator 10100110111, masked with 101010000010010. */
function formatWord(data: number): number {
  let rest = data << 10;
  for (let bit = 14; bit >= 10; bit--) if (rest & (1 << bit)) rest ^= 0b10100110111 << (bit - 10);
  return ((data << 10) | rest) ^ 0b101010000010010;
}

/** The text of a QR code's modules (row by row, true for dark). */
export function decodeModules(modules: boolean[][]): string {
  const size = modules.length;
  const version = (size - 17) / 4;
  if (version < 1 || version > 10) throw new Error(`version ${version} is outside what this reader reads`);

  // Format information beside the top-left finder: bits 0–7 down column 8, bits 8–14 along row 8 to the left.
  const formatCells: [number, number][] = [[0, 8], [1, 8], [2, 8], [3, 8], [4, 8], [5, 8], [7, 8], [8, 8], [8, 7], [8, 5], [8, 4], [8, 3], [8, 2], [8, 1], [8, 0]];
  const dark = (r: number, c: number) => at(at(modules, r), c);
  const read = formatCells.reduce((word, [r, c], bit) => word | (Number(dark(r, c)) << bit), 0);
  const data = [...Array(32).keys()].find((candidate) => formatWord(candidate) === read);
  if (data === undefined) throw new Error(`unreadable format information ${read.toString(2)}`);
  const level = LEVELS[data >> 3];
  if (level !== 'M') throw new Error(`error correction ${level}: this reader reads level M`);
  const mask = at(MASKS, data & 7);

  // Alignment patterns sit at every pair of centres, except where a finder pattern already is.
  const centres = at(ALIGNMENT, version);
  const overlapsFinder = (ar: number, ac: number) => (ar === 6 && ac === 6) || (ar === 6 && ac === size - 7) || (ar === size - 7 && ac === 6);
  const isFunction = (r: number, c: number) =>
    (r < 9 && c < 9) ||
    (r < 9 && c >= size - 8) ||
    (r >= size - 8 && c < 9) ||
    r === 6 ||
    c === 6 ||
    (version >= 7 && ((r < 6 && c >= size - 11 && c < size - 8) || (c < 6 && r >= size - 11 && r < size - 8))) ||
    centres.some((ar) => centres.some((ac) => !overlapsFinder(ar, ac) && Math.abs(r - ar) <= 2 && Math.abs(c - ac) <= 2));

  // The zigzag: two columns at a time from the right, up then down, column 6 (timing) skipped.
  const bits: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right = 5;
    for (let i = 0; i < size; i++) {
      const r = upward ? size - 1 - i : i;
      for (const c of [right, right - 1]) if (!isFunction(r, c)) bits.push(Number(dark(r, c) !== mask(r, c)));
    }
    upward = !upward;
  }
  const codewords = Array.from({ length: Math.floor(bits.length / 8) }, (_, i) => bits.slice(i * 8, i * 8 + 8).reduce((byte, bit) => (byte << 1) | bit, 0));

  // Data codewords are interleaved across the blocks: the first of each block, then the second…
  const blocks = at(BLOCKS_M, version).flatMap(([count, , dataCount]) => Array.from({ length: count ?? 0 }, () => ({ dataCount: dataCount ?? 0, data: [] as number[] })));
  let next = 0;
  for (let i = 0; i < Math.max(...blocks.map((block) => block.dataCount)); i++) {
    for (const block of blocks) if (i < block.dataCount) block.data.push(at(codewords, next++));
  }
  const stream = blocks.flatMap((block) => block.data).flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((shift) => (byte >> shift) & 1));
  let position = 0;
  const take = (n: number) => {
    let value = 0;
    for (let i = 0; i < n; i++) value = (value << 1) | at(stream, position++);
    return value;
  };
  const text: number[] = [];
  for (;;) {
    const mode = take(4);
    if (mode === 0) break; // terminator
    if (mode !== 0b0100) throw new Error(`mode ${mode.toString(2)}: this reader reads byte mode`);
    const length = take(version < 10 ? 8 : 16);
    for (let i = 0; i < length; i++) text.push(take(8));
    if (position + 4 > stream.length) break;
  }
  return Buffer.from(text).toString('utf8');
}
