import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real one-page PDF with fictional text, one line per string (each drawn on its own line, as a report's lines are). */
export async function pdfWithLines(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  lines.forEach((line, n) => page.drawText(line, { x: 50, y: 760 - 16 * n, size: 11, font }));
  return Buffer.from(await doc.save());
}
