/**
 * Enough of an XML reader to hold the hand-written SVG pictures to being
 * well-formed: one root element, every tag closed in order, attributes
 * quoted, and no bare `<` or `&` in text or attribute values (only the five
 * predefined entities and character references). It hands back the root's
 * name, each element's name and the text, decoded, so a test can look for
 * what a reader would see.
 */

export interface ParsedXml {
  root: string;
  elements: string[];
  /** Every piece of text, entities decoded. */
  texts: string[];
  /** Every attribute value, entities decoded. */
  attributes: string[];
  /** The root element, with its children, as a tree. */
  tree: XmlElement;
}

/** An element as a tree: its attributes (decoded) and its children, elements and text, in order. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = '[A-Za-z_][\\w:.-]*';
const TOKEN = new RegExp(
  [
    '<!--[\\s\\S]*?-->',
    '<\\?[\\s\\S]*?\\?>',
    `<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`,
    '[^<]+',
    '<',
  ].join('|'),
  'g',
);
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: string): string {
  if (/</.test(text)) throw new Error(`a bare < in ${where}: ${text.slice(0, 60)}`);
  if (/&/.test(text.replace(ENTITY, ''))) throw new Error(`a bare & or an unknown entity in ${where}: ${text.slice(0, 60)}`);
  return text.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? PREDEFINED[name] : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
  );
}

/** Throws, saying where, unless `xml` is a well-formed document. */
export function parseXml(xml: string): ParsedXml {
  const open: string[] = [];
  const path: XmlElement[] = [];
  const parsed: ParsedXml = { root: '', elements: [], texts: [], attributes: [], tree: { name: '', attributes: {}, children: [] } };
  let closedRoot = false;
  for (const match of xml.matchAll(TOKEN)) {
    const [token, closing, name, attributes, selfClosing] = match;
    if (token === '<') throw new Error(`a < that starts no tag, at ${match.index}`);
    if (token.startsWith('<!--') || token.startsWith('<?')) continue;
    if (name === undefined) {
      if (open.length === 0 && token.trim() !== '') throw new Error(`text outside the root element: ${token.slice(0, 60)}`);
      if (open.length > 0) {
        const text = decode(token, `the text of <${open[open.length - 1]}>`);
        parsed.texts.push(text);
        path[path.length - 1].children.push(text);
      }
      continue;
    }
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected ?? 'nothing'}>`);
      path.pop();
      if (open.length === 0) closedRoot = true;
      continue;
    }
    if (open.length === 0) {
      if (parsed.root) throw new Error(`a second root element <${name}>`);
      parsed.root = name;
    }
    parsed.elements.push(name);
    const element: XmlElement = { name, attributes: {}, children: [] };
    if (path.length === 0) parsed.tree = element;
    else path[path.length - 1].children.push(element);
    const seen = new Set<string>();
    for (const [, attribute, double, single] of attributes.matchAll(ATTRIBUTE)) {
      if (seen.has(attribute)) throw new Error(`<${name}> has ${attribute} twice`);
      seen.add(attribute);
      const value = decode(double ?? single, `the attribute ${attribute} of <${name}>`);
      parsed.attributes.push(value);
      element.attributes[attribute] = value;
    }
    if (!selfClosing) {
      open.push(name);
      path.push(element);
    }
    else if (open.length === 0) closedRoot = true;
  }
  if (open.length > 0) throw new Error(`<${open[open.length - 1]}> is never closed`);
  if (!closedRoot) throw new Error('no root element');
  return parsed;
}
