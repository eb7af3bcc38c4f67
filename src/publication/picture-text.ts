import { inflateSync } from 'node:zlib';
import { SaxesParser } from 'saxes';

/**
 * The words a picture inside a Word file carries, for the anonymisation
 * check (docs/domain.md, "The anonymisation check"): what anyone who saves
 * the picture and opens its properties reads, and the text of a vector
 * picture. The pixels themselves are not read (there is no OCR).
 *
 * - XMP metadata, in any kind of picture (author, title, description,
 *   keywords, location);
 * - PNG text chunks (`tEXt`, `zTXt`, `iTXt`) and Exif (`eXIf`);
 * - JPEG comments and Exif (artist, description, copyright, the Windows
 *   author, title, subject, keywords and comment, the user comment);
 * - the text an EMF picture draws (a chart or a diagram pasted as a
 *   picture).
 *
 * Any structure that does not hold together is left where it breaks: a
 * damaged picture gives what could be read before the damage.
 */
export function pictureText(bytes: Buffer): string {
  const lines = [...xmpPackets(bytes), ...(isPng(bytes) ? pngText(bytes) : []), ...(isJpeg(bytes) ? jpegText(bytes) : []), ...(isEmf(bytes) ? emfText(bytes) : [])];
  return lines
    .map((line) => line.replace(/\0/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Compressed text in a PNG is inflated to this much at most: metadata is short. */
const MAX_INFLATED_TEXT = 1 << 20;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isPng = (bytes: Buffer) => bytes.subarray(0, 8).equals(PNG_SIGNATURE);
const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8;
const isEmf = (bytes: Buffer) => bytes.length >= 44 && bytes.readUInt32LE(0) === 1 && bytes.toString('latin1', 40, 44) === ' EMF';

/**
 * Each XMP packet (`<x:xmpmeta>` … `</x:xmpmeta>`) in the picture's bytes.
 * Packets do not nest: the next one is looked for after the end of the last,
 * so each byte is read once however many starts the picture repeats.
 */
function xmpPackets(bytes: Buffer): string[] {
  const packets: string[] = [];
  const text = bytes.toString('latin1');
  for (let from = text.indexOf(XMP_START); from >= 0; ) {
    const end = text.indexOf(XMP_END, from);
    if (end < 0) break;
    packets.push(xmpValues(bytes.toString('utf8', from, end + XMP_END.length)));
    from = text.indexOf(XMP_START, end + XMP_END.length);
  }
  return packets;
}

const XMP_START = '<x:xmpmeta';
const XMP_END = '</x:xmpmeta>';
/** Attributes of an XMP packet that are its machinery, not its values. */
const XMP_MACHINERY = /^(xmlns(:.*)?|rdf:about|rdf:parseType|x:xmptk|xml:lang)$/;

/** The values of an XMP packet, each a line: element text and attribute values (XMP writes simple values as attributes). Markup that does not parse is read as it is. */
function xmpValues(packet: string): string {
  const values: string[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    for (const [name, value] of Object.entries(tag.attributes)) if (!XMP_MACHINERY.test(name)) values.push(value);
  });
  parser.on('text', (text) => values.push(text));
  try {
    parser.write(packet).close();
  } catch {
    return packet;
  }
  return values.join('\n');
}

function pngText(bytes: Buffer): string[] {
  const texts: string[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length));
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') texts.push(...pngTextChunk(type, data));
    if (type === 'eXIf') texts.push(...exifText(data));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return texts;
}

/** A PNG text chunk: its keyword, and its text, inflated where it is compressed. */
function pngTextChunk(type: string, data: Buffer): string[] {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0) return [data.toString('latin1')];
  const keyword = data.toString('latin1', 0, keywordEnd);
  const rest = data.subarray(keywordEnd + 1);
  if (type === 'tEXt') return [keyword, rest.toString('latin1')];
  if (type === 'zTXt') return [keyword, inflated(rest.subarray(1)).toString('latin1')];
  // iTXt: compression flag, method, language tag\0, translated keyword\0, text (UTF-8).
  const compressed = rest[0] === 1;
  const languageEnd = rest.indexOf(0, 2);
  const translatedEnd = languageEnd < 0 ? -1 : rest.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return [keyword];
  const text = rest.subarray(translatedEnd + 1);
  return [keyword, rest.toString('utf8', languageEnd + 1, translatedEnd), (compressed ? inflated(text) : text).toString('utf8')];
}

function inflated(data: Buffer): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: MAX_INFLATED_TEXT });
  } catch {
    return Buffer.alloc(0);
  }
}

/** A JPEG's segments before its image data: comments (COM) and Exif (APP1). */
function jpegText(bytes: Buffer): string[] {
  const texts: string[] = [];
  for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff; ) {
    const marker = bytes[at + 1];
    if (marker === 0xda || marker === 0xd9) break;
    const length = bytes.readUInt16BE(at + 2);
    const segment = bytes.subarray(at + 4, Math.min(bytes.length, at + 2 + length));
    if (marker === 0xfe) texts.push(segment.toString('utf8'));
    if (marker === 0xe1 && segment.toString('latin1', 0, 6) === 'Exif\0\0') texts.push(...exifText(segment.subarray(6)));
    at += 2 + length;
  }
  return texts;
}

const EXIF_IFD = 0x8769;
const GPS_IFD = 0x8825;
const ASCII = 2;
/** Windows' XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject: UTF-16 in byte fields. */
const WINDOWS_TAGS = new Set([0x9c9b, 0x9c9c, 0x9c9d, 0x9c9e, 0x9c9f]);
const USER_COMMENT = 0x9286;

/** The text fields of an Exif (TIFF) block: every ASCII field, the Windows fields and the user comment, in every IFD it links to. */
function exifText(tiff: Buffer): string[] {
  if (tiff.length < 8) return [];
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const texts: string[] = [];
  const visited = new Set<number>();
  const queue = [u32(4)];
  while (queue.length > 0 && visited.size < 16) {
    const ifd = queue.shift()!;
    if (visited.has(ifd) || ifd + 2 > tiff.length) continue;
    visited.add(ifd);
    const count = u16(ifd);
    for (let i = 0; i < count && ifd + 2 + (i + 1) * 12 <= tiff.length; i++) {
      const entry = ifd + 2 + i * 12;
      const [tag, type, size] = [u16(entry), u16(entry + 2), u32(entry + 4)];
      if (tag === EXIF_IFD || tag === GPS_IFD) queue.push(u32(entry + 8));
      const isText = type === ASCII || WINDOWS_TAGS.has(tag) || tag === USER_COMMENT;
      const at = size <= 4 ? entry + 8 : u32(entry + 8);
      if (!isText || at + size > tiff.length) continue;
      const value = tiff.subarray(at, at + size);
      if (WINDOWS_TAGS.has(tag)) texts.push(value.toString('utf16le'));
      else if (tag === USER_COMMENT) texts.push(value.subarray(8).toString(value.toString('latin1', 0, 7) === 'UNICODE' ? 'utf16le' : 'utf8'));
      else texts.push(value.toString('utf8'));
    }
    if (ifd + 2 + count * 12 + 4 <= tiff.length) queue.push(u32(ifd + 2 + count * 12));
  }
  return texts;
}

const EMR_EXTTEXTOUTA = 83;
const EMR_EXTTEXTOUTW = 84;
/** Where a text record's string offset and length sit: after its type, size, bounds, mode and scales (36 bytes), then its reference point. */
const TEXT_RECORD_CHARS = 44;
const TEXT_RECORD_OFFSET = 48;

/** The strings an EMF picture draws, one line per text record. */
function emfText(bytes: Buffer): string[] {
  const texts: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const [type, size] = [bytes.readUInt32LE(at), bytes.readUInt32LE(at + 4)];
    if (size < 8 || at + size > bytes.length) break;
    if ((type === EMR_EXTTEXTOUTW || type === EMR_EXTTEXTOUTA) && size >= TEXT_RECORD_OFFSET + 4) {
      const chars = bytes.readUInt32LE(at + TEXT_RECORD_CHARS);
      const offset = bytes.readUInt32LE(at + TEXT_RECORD_OFFSET);
      const width = type === EMR_EXTTEXTOUTW ? 2 : 1;
      if (offset + chars * width <= size) texts.push(bytes.toString(width === 2 ? 'utf16le' : 'latin1', at + offset, at + offset + chars * width));
    }
    at += size;
  }
  return texts;
}
