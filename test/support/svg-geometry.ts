/**
 * The geometry of a hand-written SVG picture, read back from its markup, to
 * hold the layouts to their rules (docs/architecture.md, "Pictures"): no
 * negative or non-numeric length, everything inside the viewBox, no two
 * texts' boxes overlapping, and every text cut with an ellipsis carrying the
 * whole of it in a `<title>`. A text's box is estimated with the pictures'
 * own estimate (`textBox`, src/common/svg.ts), as the layouts place them.
 * It reads what the pictures emit: rect, line, circle, polygon and text, no
 * transforms.
 */
import { ELLIPSIS, overlaps, textBox, type Box, type TextAnchor, type TextStyle } from '../../src/common/svg.js';
import { parseXml, type XmlElement } from './xml.js';

export interface DrawnText {
  text: string;
  /** The whole text, when the element carries a `<title>`. */
  title?: string;
  box: Box;
  element: XmlElement;
}

export interface PictureGeometry {
  width: number;
  height: number;
  texts: DrawnText[];
  shapes: { element: XmlElement; box: Box }[];
  /** Every element in document order, with its parents' attributes that it inherits. */
  elements: XmlElement[];
}

interface Inherited {
  style: TextStyle;
  anchor: TextAnchor;
}

const LENGTHS = ['width', 'height', 'r'];
const NUMBERS = ['x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'width', 'height', 'r'];

function numberOf(element: XmlElement, name: string, fallback = 0): number {
  const value = element.attributes[name];
  return value === undefined ? fallback : Number(value);
}

function textOf(element: XmlElement): string {
  return element.children.filter((c): c is string => typeof c === 'string').join('');
}

function shapeBox(element: XmlElement): Box | null {
  const n = (name: string) => numberOf(element, name);
  switch (element.name) {
    case 'rect':
      return { left: n('x'), top: n('y'), right: n('x') + n('width'), bottom: n('y') + n('height') };
    case 'line':
      return { left: Math.min(n('x1'), n('x2')), right: Math.max(n('x1'), n('x2')), top: Math.min(n('y1'), n('y2')), bottom: Math.max(n('y1'), n('y2')) };
    case 'circle':
      return { left: n('cx') - n('r'), right: n('cx') + n('r'), top: n('cy') - n('r'), bottom: n('cy') + n('r') };
    case 'polygon': {
      const points = element.attributes.points.trim().split(/\s+/).map((p) => p.split(',').map(Number));
      const xs = points.map(([x]) => x);
      const ys = points.map(([, y]) => y);
      return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
    }
    default:
      return null;
  }
}

/** Reads a picture's geometry; throws unless it is well-formed XML. */
export function pictureGeometry(svg: string): PictureGeometry {
  const { tree } = parseXml(svg);
  const geometry: PictureGeometry = { width: Number(tree.attributes.width), height: Number(tree.attributes.height), texts: [], shapes: [], elements: [] };
  const walk = (element: XmlElement, inherited: Inherited) => {
    if (element.name === 'title' || element.name === 'desc') return;
    const here: Inherited = {
      style: {
        fontSize: numberOf(element, 'font-size', inherited.style.fontSize),
        bold: element.attributes['font-weight'] === undefined ? inherited.style.bold : element.attributes['font-weight'] === 'bold',
      },
      anchor: (element.attributes['text-anchor'] as TextAnchor | undefined) ?? inherited.anchor,
    };
    geometry.elements.push(element);
    if (element.name === 'text') {
      const text = textOf(element);
      const title = element.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'title');
      const box = textBox(numberOf(element, 'x'), numberOf(element, 'y'), text, here.style, here.anchor);
      geometry.texts.push({ text, title: title ? textOf(title) : undefined, box, element });
      return;
    }
    const box = shapeBox(element);
    if (box) geometry.shapes.push({ element, box });
    for (const child of element.children) if (typeof child !== 'string') walk(child, here);
  };
  walk(tree, { style: { fontSize: 16 }, anchor: 'start' });
  return geometry;
}

function describe(element: XmlElement): string {
  return `<${element.name} ${Object.entries(element.attributes)
    .filter(([name]) => NUMBERS.includes(name) || name === 'points' || name === 'class')
    .map(([name, value]) => `${name}="${value}"`)
    .join(' ')}>`;
}

/** Everything in a picture that breaks a layout rule, in words; none for a readable picture. */
export function layoutProblems(svg: string): string[] {
  const g = pictureGeometry(svg);
  const problems: string[] = [];
  const inside = (box: Box) => box.left >= -0.05 && box.top >= -0.05 && box.right <= g.width + 0.05 && box.bottom <= g.height + 0.05;
  for (const element of g.elements) {
    if (element.attributes.transform !== undefined) problems.push(`${describe(element)} is transformed`);
    for (const name of NUMBERS) {
      const value = element.attributes[name];
      if (value !== undefined && !Number.isFinite(Number(value))) problems.push(`${describe(element)} has ${name}="${value}"`);
    }
    for (const name of LENGTHS) if (numberOf(element, name) < 0) problems.push(`${describe(element)} has a negative ${name}`);
  }
  for (const { element, box } of g.shapes) if (!inside(box)) problems.push(`${describe(element)} leaves the picture`);
  for (const { text, title, box, element } of g.texts) {
    if (!inside(box)) problems.push(`the text "${text}" at ${describe(element)} leaves the picture`);
    const cut = text === '' || text.endsWith(ELLIPSIS);
    if (cut && (title === undefined || !title.startsWith(text.slice(0, -1).trimEnd()) || title === text)) {
      problems.push(`the text "${text}" is cut without its whole text in a <title>`);
    }
  }
  g.texts.forEach((a, i) => {
    for (const b of g.texts.slice(i + 1)) if (overlaps(a.box, b.box)) problems.push(`the texts "${a.text}" and "${b.text}" overlap`);
  });
  return problems;
}
