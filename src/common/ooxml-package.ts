import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * The one reader of OOXML packages (docs/architecture.md, "Reading Office
 * packages"): every upload (an XLSX chronology, a DOCX document) is checked
 * through it, and the anonymisation check reads a stored report, and the
 * packages embedded in it, through it too (docs/security.md, "Uploads:
 * bombs, limits and content checks"). A ZIP says in its central directory
 * how large each entry inflates to; a bomb says it honestly (refused before
 * anything is inflated) or lies (refused as the bytes actually inflated
 * pass what it declared). Nothing is ever inflated beyond the allowance,
 * nothing is written to disk, and an entry is read by its offset, whatever
 * order the entries come in. Part names are found regardless of case, as
 * Office finds them.
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

/**
 * What one file may still inflate to: shared by the packages embedded in it,
 * which are read through their own OoxmlPackage but count against the file
 * they came in.
 */
export class InflationAllowance {
  private spent = 0;

  constructor(readonly limits: PackageLimits) {}

  get remaining(): number {
    return this.limits.maxInflatedBytes - this.spent;
  }

  /** Counts bytes just inflated; past the allowance, PackageTooLarge. */
  spend(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.limits.maxInflatedBytes) throw this.tooLarge('this one inflates beyond that');
  }

  tooLarge(why: string): PackageTooLarge {
    return new PackageTooLarge(`An XLSX or DOCX file may inflate to at most ${describeBytes(this.limits.maxInflatedBytes)} in all; ${why}.`);
  }
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
  comment: string;
}

/** Where a package's bytes are: a file on disk, or bytes in memory (a package embedded in another). */
interface PackageSource {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  /** The bytes from `start`, `length` of them, as a stream of chunks. */
  stream(start: number, length: number): Readable;
  close(): Promise<void>;
}

const CHUNK_BYTES = 64 * 1024;

async function fileSource(path: string): Promise<PackageSource> {
  const handle: FileHandle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(position, length) {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        return buffer.subarray(0, bytesRead);
      },
      stream: (start, length) => createReadStream(path, { start, end: start + length - 1, highWaterMark: CHUNK_BYTES }),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function bytesSource(bytes: Buffer): PackageSource {
  return {
    size: bytes.length,
    read: async (position, length) => bytes.subarray(position, position + length),
    stream(start, length) {
      const chunks: Buffer[] = [];
      for (let at = start; at < start + length; at += CHUNK_BYTES) chunks.push(bytes.subarray(at, Math.min(at + CHUNK_BYTES, start + length)));
      return Readable.from(chunks);
    },
    close: async () => undefined,
  };
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** The end of central directory record: the last 22 bytes, or earlier by a comment of up to 64 KiB, which follows it. */
async function findEnd(source: PackageSource): Promise<{ end: Buffer; comment: string }> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tail = await source.read(source.size - tailLength, tailLength);
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) return { end: tail.subarray(i, i + 22), comment: tail.toString('utf8', i + 22, i + 22 + tail.readUInt16LE(i + 20)) };
  }
  throw new MalformedPackage('it is not a ZIP package (no end of central directory)');
}

/**
 * The directory's entries. Two entries of one name, or of names that differ
 * only in case (which Office takes for one part), would let a checker and
 * a reader see different parts: the package is refused.
 */
function readDirectory(directory: Buffer, count: number, size: number): Entry[] {
  const entries: Entry[] = [];
  const names = new Set<string>();
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new MalformedPackage('its central directory is damaged');
    const flags = directory.readUInt16LE(at + 8);
    const nameLength = directory.readUInt16LE(at + 28);
    const commentStart = at + 46 + nameLength + directory.readUInt16LE(at + 30);
    const end = commentStart + directory.readUInt16LE(at + 32);
    if (end > directory.length) throw new MalformedPackage('its central directory is damaged');
    const entry: Entry = {
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      declaredSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
      comment: directory.toString('utf8', commentStart, end),
    };
    if (flags & 1) throw new MalformedPackage(`its entry ${entry.name} is encrypted`);
    if (entry.method !== STORED && entry.method !== DEFLATED) throw new MalformedPackage(`its entry ${entry.name} uses a compression this service does not read`);
    if (entry.method === STORED && entry.compressedSize !== entry.declaredSize) throw new MalformedPackage(`its entry ${entry.name} is damaged`);
    if (entry.localHeaderOffset + 30 + entry.compressedSize > size) throw new MalformedPackage(`its entry ${entry.name} lies outside the file`);
    if (names.has(partKey(entry.name))) throw new MalformedPackage(`it holds ${entry.name} twice`);
    names.add(partKey(entry.name));
    entries.push(entry);
    at = end;
  }
  return entries;
}

/** A part's name as parts are told apart: OPC compares part names regardless of case. */
const partKey = (name: string) => name.toLowerCase();

/**
 * An OOXML package (a ZIP), on disk or in memory, its directory read and
 * its declared sizes checked against what the file may still inflate to.
 * Each entry read is inflated as a stream and counted: past its declared
 * size, or past the allowance, the read stops with PackageTooLarge.
 */
export class OoxmlPackage {
  private constructor(
    private readonly source: PackageSource,
    private readonly entries: Map<string, Entry>,
    /** What this file, and every package embedded in it, may still inflate to. */
    readonly allowance: InflationAllowance,
    /** The archive's own comment (anyone who unzips the file sees it). */
    readonly comment: string,
  ) {}

  /** Opens the file on disk and checks its directory; close it when done (withPackage does). */
  static async open(path: string, limits: PackageLimits): Promise<OoxmlPackage> {
    return OoxmlPackage.read(await fileSource(path), new InflationAllowance(limits));
  }

  /** A package held in memory: an embedded one counts against the allowance of the file it came in. */
  static fromBytes(bytes: Buffer, allowance: InflationAllowance): Promise<OoxmlPackage> {
    return OoxmlPackage.read(bytesSource(bytes), allowance);
  }

  private static async read(source: PackageSource, allowance: InflationAllowance): Promise<OoxmlPackage> {
    try {
      const { end, comment } = await findEnd(source);
      const count = end.readUInt16LE(10);
      const directorySize = end.readUInt32LE(12);
      const directoryOffset = end.readUInt32LE(16);
      if (count > MAX_PACKAGE_ENTRIES) throw allowance.tooLarge(`and it may hold at most ${MAX_PACKAGE_ENTRIES} entries, this one holds ${count}`);
      if (end.readUInt16LE(4) !== 0 || end.readUInt16LE(8) !== count || directoryOffset + directorySize > source.size) {
        throw new MalformedPackage('it is not a whole ZIP package');
      }
      const entries = readDirectory(await source.read(directoryOffset, directorySize), count, source.size);
      checkDeclaredSizes(entries, allowance);
      return new OoxmlPackage(source, new Map(entries.map((entry) => [partKey(entry.name), entry])), allowance, comment);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  /** Every entry's name, as the archive spells it, folders included (a name ending in `/`). */
  names(): string[] {
    return [...this.entries.values()].map((entry) => entry.name);
  }

  has(name: string): boolean {
    return this.entries.has(partKey(name));
  }

  /** An entry's name as the archive spells it, found regardless of case. */
  nameOf(name: string): string | undefined {
    return this.entries.get(partKey(name))?.name;
  }

  /** The comments of the archive's entries, where they have one. */
  entryComments(): string[] {
    return [...this.entries.values()].map((entry) => entry.comment).filter(Boolean);
  }

  /** The entry's inflated bytes, chunk by chunk, counted against its declared size and the file's allowance. */
  async *chunks(name: string): AsyncGenerator<Buffer> {
    const entry = this.entries.get(partKey(name));
    if (!entry) throw new MalformedPackage(`it has no ${name}`);
    const start = await this.dataStart(entry);
    if (entry.compressedSize === 0) return;
    const raw = this.source.stream(start, entry.compressedSize);
    const source = entry.method === STORED ? raw : pipeline(raw, createInflateRaw(), () => undefined);
    let read = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        read += chunk.length;
        if (read > entry.declaredSize) throw this.allowance.tooLarge(`its entry ${entry.name} inflates beyond the ${entry.declaredSize} bytes it declares`);
        this.allowance.spend(chunk.length);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof PackageTooLarge) throw error;
      throw new MalformedPackage(`its entry ${entry.name} is damaged (${(error as Error).message})`);
    } finally {
      raw.destroy();
      source.destroy();
    }
  }

  /** Refuses a part declared larger than `maxBytes`; since no read inflates past what it declares, it will never be larger. */
  requireAtMost(name: string, maxBytes: number): void {
    if ((this.entries.get(partKey(name))?.declaredSize ?? 0) > maxBytes) throw this.allowance.tooLarge(`and its part ${name} may be at most ${describeBytes(maxBytes)}`);
  }

  /** One entry whole: at most `maxBytes` of it for the small parts (relationships, content types, styles), else what the allowance leaves. */
  async read(name: string, maxBytes = Infinity): Promise<Buffer> {
    this.requireAtMost(name, maxBytes);
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(name)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** Inflates every entry once, so that none is larger than it says: what is stored can then be read by its directory. */
  async verifyAll(): Promise<void> {
    for (const name of this.names()) {
      for await (const chunk of this.chunks(name)) void chunk;
    }
  }

  close(): Promise<void> {
    return this.source.close();
  }

  /** Where an entry's bytes begin: after its local header, whose name and extra field may differ in length from the directory's. */
  private async dataStart(entry: Entry): Promise<number> {
    const header = await this.source.read(entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new MalformedPackage(`its entry ${entry.name} is damaged`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > this.source.size) throw new MalformedPackage(`its entry ${entry.name} lies outside the file`);
    return start;
  }
}

/** The declared sizes together, against what the file may still inflate to (all of it for a file of its own). */
function checkDeclaredSizes(entries: Entry[], allowance: InflationAllowance): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.declaredSize;
    if (total > allowance.remaining) throw allowance.tooLarge(`this one's parts declare more (${entry.name} and those before it)`);
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

/** One entry of a package on disk, whole, within the limits, without trusting the ZIP's own account of its sizes. */
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

/**
 * Each relationship of a relationships part, as it is parsed, however many
 * there are (the anonymisation check reads every target); a missing part
 * has none.
 */
export async function eachRelationship(pkg: OoxmlPackage, name: string, visit: (relationship: Relationship) => void): Promise<void> {
  if (!pkg.has(name)) return;
  let root = true;
  await streamXmlPart(pkg, name, {
    open(tag) {
      if (root && (tag.local !== 'Relationships' || tag.uri !== RELATIONSHIPS_NS)) throw new MalformedPart(`${name} is not a relationships part`);
      root = false;
      if (tag.local !== 'Relationship') return;
      visit({
        id: attribute(tag, 'Id') ?? '',
        type: attribute(tag, 'Type') ?? '',
        target: attribute(tag, 'Target') ?? '',
        external: attribute(tag, 'TargetMode') === 'External',
      });
    },
  });
}

/** A relationships part's relationships, the first MAX_PACKAGE_ENTRIES of them: no package has more parts to point to. */
export async function readRelationships(pkg: OoxmlPackage, name: string): Promise<Relationship[]> {
  const found: Relationship[] = [];
  await eachRelationship(pkg, name, (relationship) => {
    if (found.length < MAX_PACKAGE_ENTRIES) found.push(relationship);
  });
  return found;
}

/** The package's own relationships: the first part an Office file is read from. */
export const PACKAGE_RELATIONSHIPS = '_rels/.rels';

/** The folder a part is in ('' at the package's root). */
export function folderOf(part: string): string {
  return part.includes('/') ? part.slice(0, part.lastIndexOf('/')) : '';
}

/** The relationships part of a part (`word/_rels/document.xml.rels`), or of the package (`_rels/.rels`) for ''. */
export function relationshipsPartOf(part: string): string {
  const folder = folderOf(part);
  const file = part.slice(folder ? folder.length + 1 : 0);
  return `${folder ? folder + '/' : ''}_rels/${file}.rels`;
}

/**
 * The part a relationship's target names, resolved against the folder of
 * the part it is from ('' for the package): a target is a URI, so a
 * fragment is no part of the name and escapes (`%20`) stand for their
 * characters; `..` never climbs above the package. '' when it names none.
 */
export function resolvePart(fromFolder: string, target: string): string {
  const path = decodeEscapes(target.split('#')[0]);
  const segments = path.startsWith('/') ? [] : fromFolder.split('/').filter(Boolean);
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

/** A URI's escapes decoded; one that does not decode is left as it is. */
export function decodeEscapes(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
