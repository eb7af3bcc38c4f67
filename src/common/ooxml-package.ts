import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * The one guard every OOXML upload (an XLSX chronology, a DOCX document)
 * is read through (docs/security.md, "Uploads: bombs, limits and content
 * checks"). A ZIP says in its central directory how large each entry
 * inflates to; a bomb says it honestly (refused before anything is
 * inflated) or lies (refused as the bytes actually inflated pass what it
 * declared). Nothing is ever inflated beyond the limit, nothing is written
 * to disk, and an entry is read by its offset, whatever order the entries
 * come in.
 */

/** Too large to read: the answer is 413, its detail naming the limit. */
export class PackageTooLarge extends Error {}
/** Not a ZIP this service reads (truncated, encrypted, an unknown compression, entries outside the file). */
export class MalformedPackage extends Error {}

export interface PackageLimits {
  /** The most the entries may inflate to, each and all together (UPLOAD_MAX_INFLATED_BYTES). */
  maxInflatedBytes: number;
}

/** More entries than any workbook or Word document of a review needs; each costs a little memory and a read. */
export const MAX_PACKAGE_ENTRIES = 2000;

/** A size as the refusals name it: whole megabytes where it is a whole number of them. */
export function describeBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${bytes} bytes`;
}

function tooLarge(limits: PackageLimits, why: string): PackageTooLarge {
  return new PackageTooLarge(`An XLSX or DOCX file may inflate to at most ${describeBytes(limits.maxInflatedBytes)} in all; ${why}.`);
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** The end of central directory record: the last 22 bytes, or earlier by a comment of up to 64 KiB. */
async function findEnd(handle: FileHandle, size: number): Promise<Buffer> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, size - tailLength);
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) return tail.subarray(i, i + 22);
  }
  throw new MalformedPackage('it is not a ZIP package (no end of central directory)');
}

function readDirectory(directory: Buffer, count: number, size: number): Entry[] {
  const entries: Entry[] = [];
  const names = new Set<string>();
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new MalformedPackage('its central directory is damaged');
    const flags = directory.readUInt16LE(at + 8);
    const nameLength = directory.readUInt16LE(at + 28);
    const end = at + 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    if (end > directory.length) throw new MalformedPackage('its central directory is damaged');
    const entry: Entry = {
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      declaredSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    if (flags & 1) throw new MalformedPackage(`its entry ${entry.name} is encrypted`);
    if (entry.method !== STORED && entry.method !== DEFLATED) throw new MalformedPackage(`its entry ${entry.name} uses a compression this service does not read`);
    if (entry.method === STORED && entry.compressedSize !== entry.declaredSize) throw new MalformedPackage(`its entry ${entry.name} is damaged`);
    if (entry.localHeaderOffset + 30 + entry.compressedSize > size) throw new MalformedPackage(`its entry ${entry.name} lies outside the file`);
    // Two entries of one name would let a checker and a reader see different parts.
    if (names.has(entry.name)) throw new MalformedPackage(`it holds ${entry.name} twice`);
    names.add(entry.name);
    entries.push(entry);
    at = end;
  }
  return entries;
}

/**
 * An OOXML package (a ZIP) on disk, its directory read and its declared
 * sizes checked against the limits. Each entry read is inflated as a stream
 * and counted: past its declared size, or past the limit for the whole
 * file, the read stops with PackageTooLarge.
 */
export class OoxmlPackage {
  private inflated = 0;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly entries: Map<string, Entry>,
    private readonly limits: PackageLimits,
  ) {}

  /** Opens the file and checks its directory; close it when done. */
  static async open(path: string, limits: PackageLimits): Promise<OoxmlPackage> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const end = await findEnd(handle, size);
      const count = end.readUInt16LE(10);
      const directorySize = end.readUInt32LE(12);
      const directoryOffset = end.readUInt32LE(16);
      if (count > MAX_PACKAGE_ENTRIES) throw tooLarge(limits, `and it may hold at most ${MAX_PACKAGE_ENTRIES} entries, this one holds ${count}`);
      if (end.readUInt16LE(4) !== 0 || end.readUInt16LE(8) !== count || directoryOffset + directorySize > size) {
        throw new MalformedPackage('it is not a whole ZIP package');
      }
      const directory = Buffer.alloc(directorySize);
      await handle.read(directory, 0, directorySize, directoryOffset);
      const entries = readDirectory(directory, count, size);
      checkDeclaredSizes(entries, limits);
      return new OoxmlPackage(path, handle, new Map(entries.map((entry) => [entry.name, entry])), limits);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's inflated bytes, chunk by chunk, counted against its declared size and the whole file's limit. */
  async *chunks(name: string): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw new MalformedPackage(`it has no ${name}`);
    const start = await this.dataStart(entry);
    if (entry.compressedSize === 0) return;
    const raw = createReadStream(this.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
    const source = entry.method === STORED ? raw : pipeline(raw, createInflateRaw(), () => undefined);
    let read = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        read += chunk.length;
        this.inflated += chunk.length;
        if (read > entry.declaredSize) throw tooLarge(this.limits, `its entry ${name} inflates beyond the ${entry.declaredSize} bytes it declares`);
        if (this.inflated > this.limits.maxInflatedBytes) throw tooLarge(this.limits, 'this one inflates beyond that');
        yield chunk;
      }
    } catch (error) {
      if (error instanceof PackageTooLarge) throw error;
      throw new MalformedPackage(`its entry ${name} is damaged (${(error as Error).message})`);
    } finally {
      raw.destroy();
      source.destroy();
    }
  }

  /** Refuses a part declared larger than `maxBytes`; since no read inflates past what it declares, it will never be larger. */
  requireAtMost(name: string, maxBytes: number): void {
    if ((this.entries.get(name)?.declaredSize ?? 0) > maxBytes) throw tooLarge(this.limits, `and its part ${name} may be at most ${describeBytes(maxBytes)}`);
  }

  /** One entry whole, for the small parts (relationships, content types, styles): at most `maxBytes` of it. */
  async read(name: string, maxBytes: number): Promise<Buffer> {
    this.requireAtMost(name, maxBytes);
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(name)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** Inflates every entry once, so that none is larger than it says: what is stored can then be read by its directory. */
  async verifyAll(): Promise<void> {
    for (const name of this.entries.keys()) {
      for await (const chunk of this.chunks(name)) void chunk;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /** Where an entry's bytes begin: after its local header, whose name and extra field may differ in length from the directory's. */
  private async dataStart(entry: Entry): Promise<number> {
    const header = Buffer.alloc(30);
    await this.handle.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== LOCAL) throw new MalformedPackage(`its entry ${entry.name} is damaged`);
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  }
}

function checkDeclaredSizes(entries: Entry[], limits: PackageLimits): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.declaredSize;
    if (total > limits.maxInflatedBytes) throw tooLarge(limits, `this one's parts declare more (${entry.name} and those before it)`);
  }
}

/** Opens a package, gives it to `use`, and closes it however `use` ends. */
export async function withPackage<T>(path: string, limits: PackageLimits, use: (pkg: OoxmlPackage) => Promise<T>): Promise<T> {
  const pkg = await OoxmlPackage.open(path, limits);
  try {
    return await use(pkg);
  } finally {
    await pkg.close();
  }
}

/**
 * One entry of a package, whole, within the limits: for a reader that needs
 * a part's bytes (the anonymisation check's Word reader, say) without
 * trusting the ZIP's own account of its sizes.
 */
export function readPackageEntry(path: string, name: string, limits: PackageLimits): Promise<Buffer> {
  return withPackage(path, limits, (pkg) => pkg.read(name, limits.maxInflatedBytes));
}

/** An XML part is not well-formed, or not what it should be. */
export class MalformedPart extends Error {}

export type XmlTag = SaxesTagNS;

export interface XmlHandlers {
  open?(tag: XmlTag): void;
  close?(tag: XmlTag): void;
  text?(text: string): void;
}

/**
 * Streams an XML part through a namespace-aware, well-formedness-checking
 * parser. A part with a DOCTYPE is refused: OOXML has none, and a DTD is
 * how entity expansion bombs arrive. `afterChunk` runs after each chunk's
 * events, so a caller can hand on what they gathered without holding the
 * whole part.
 */
export async function streamXmlPart(pkg: OoxmlPackage, name: string, handlers: XmlHandlers, afterChunk?: () => Promise<void>): Promise<void> {
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('doctype', () => {
    throw new MalformedPart(`${name} declares a DOCTYPE`);
  });
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.close) parser.on('closetag', handlers.close);
  if (handlers.text) parser.on('text', handlers.text);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of pkg.chunks(name)) {
    feed(name, () => parser.write(decoder.decode(chunk, { stream: true })));
    await afterChunk?.();
  }
  feed(name, () => parser.write(decoder.decode()).close());
}

/**
 * Runs the parser on a piece: its own errors, and the decoder's, mean the
 * part is not well-formed UTF-8 XML; a handler's refusal (a subclass of
 * Error of its own) passes through as it is.
 */
function feed(name: string, write: () => unknown): void {
  try {
    write();
  } catch (error) {
    if (error instanceof Error && error.constructor !== Error && error.constructor !== TypeError) throw error;
    throw new MalformedPart(`${name} is not well-formed XML (${(error as Error).message})`);
  }
}

/** An attribute's value by its local name (`r:id` is `id`), or undefined. */
export function attribute(tag: XmlTag, local: string): string | undefined {
  for (const attr of Object.values(tag.attributes)) if (attr.local === local) return attr.value;
  return undefined;
}

export const RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** A relationships part's relationships; a missing part has none. */
export async function readRelationships(pkg: OoxmlPackage, name: string): Promise<Relationship[]> {
  if (!pkg.has(name)) return [];
  const found: Relationship[] = [];
  let root = true;
  await streamXmlPart(pkg, name, {
    open(tag) {
      if (root && (tag.local !== 'Relationships' || tag.uri !== RELATIONSHIPS_NS)) throw new MalformedPart(`${name} is not a relationships part`);
      root = false;
      if (tag.local !== 'Relationship' || found.length >= MAX_PACKAGE_ENTRIES) return;
      found.push({
        id: attribute(tag, 'Id') ?? '',
        type: attribute(tag, 'Type') ?? '',
        target: attribute(tag, 'Target') ?? '',
        external: attribute(tag, 'TargetMode') === 'External',
      });
    },
  });
  return found;
}

/** The part a relationship's target names, resolved against the folder of the part it is from ('' for the package). */
export function resolvePart(fromFolder: string, target: string): string {
  const segments = target.startsWith('/') ? [] : fromFolder.split('/').filter(Boolean);
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}
