import { extractText, getDocumentProxy, getMeta } from 'unpdf';

/** The document information fields a PDF reader shows as the file's properties. */
const PDF_INFO_FIELDS = ['Title', 'Subject', 'Keywords', 'Author'] as const;

/**
 * The text of a PDF everywhere a reader of the published file could see a
 * name (docs/domain.md, "The anonymisation check"): its pages (unpdf) and
 * its document information. The parts are joined by blank lines.
 */
export async function pdfText(bytes: Buffer): Promise<string> {
  // A copy, because the PDF reader may take over the buffer it is given; and no code compiled from the file.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false });
  try {
    const pages = (await extractText(pdf, { mergePages: true })).text;
    const { info } = await getMeta(pdf);
    const properties = PDF_INFO_FIELDS.map((field) => (info as Record<string, unknown>)[field]).filter((v): v is string => typeof v === 'string');
    return [pages, ...properties].join('\n\n');
  } finally {
    await pdf.destroy();
  }
}
