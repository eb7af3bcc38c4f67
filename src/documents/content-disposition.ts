/**
 * `Content-Disposition: attachment` naming the file (RFC 6266): a plain
 * ASCII `filename` with anything unsafe replaced, and the exact name as
 * UTF-8 in `filename*` (RFC 5987/8187).
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_').replace(/[\r\n]/g, '_') || 'document';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
