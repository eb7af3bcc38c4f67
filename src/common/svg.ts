/**
 * Hand-written SVG pictures (the case timeline, the report charts): every
 * piece of text that goes into one passes through here, so a name or a
 * title can never break out of the markup.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or an attribute value, escaped for XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
