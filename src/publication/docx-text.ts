import JSZip from 'jszip';
import mammoth from 'mammoth';

/**
 * The text of a Word document everywhere a reader of the published file
 * could see a name (docs/domain.md, "The anonymisation check"): its body
 * (mammoth) and its headers, footers, footnotes, endnotes, comments and
 * properties. The parts are joined by blank lines, so no name runs from one
 * part into the next.
 */
export async function docxText(bytes: Buffer): Promise<string> {
  return [(await mammoth.extractRawText({ buffer: bytes })).value, ...(await wordMarginalia(bytes))].join('\n\n');
}

/** The parts of a Word package outside its body that a reader still sees, or that travel with the file. */
const WORD_MARGINALIA = /^(word\/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml|docProps\/(core|app)\.xml)$/;

async function wordMarginalia(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((name) => WORD_MARGINALIA.test(name)).sort();
  return Promise.all(parts.map(async (name) => xmlText(await zip.file(name)!.async('string'))));
}

/**
 * The text of an XML part: each WordprocessingML run's text (`w:t`) and
 * every other element's text content, with a line break at each paragraph
 * or element end and a space for a tab, entities decoded.
 */
export function xmlText(xml: string): string {
  return decodeEntities(
    xml
      .replace(/<w:tab\/>/g, ' ')
      .replace(/<\/(w:p|[\w:]+)>/g, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
