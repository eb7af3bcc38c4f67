/**
 * The content checks of an uploaded document (src/documents/content-check.ts),
 * run on many generated hostile files: HTML after a PDF header, truncated
 * PDFs and packages, ZIPs whose main part is wrong or missing, markup and
 * script sent as text, and Word bombs; and on good files, still accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCX_TYPE, recognise, type ContentVerdict } from '../src/documents/content-recognition.js';
import { pdfWithLines } from './support/pdf.js';
import { buildZip, deflatedRepeat, minimalDocx, minimalPdf, minimalXlsx, type ZipEntry } from './support/zip.js';

const LIMITS = { maxInflatedBytes: 1024 * 1024 };
let dir: string;
let n = 0;

async function verdict(bytes: Buffer | string): Promise<ContentVerdict> {
  const path = join(dir, `file-${(n += 1)}`);
  await writeFile(path, bytes);
  return recognise(path, LIMITS);
}

const refused = (status: number) => ({ refused: { status, detail: expect.any(String) } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'content-check-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const HTML_BODIES = [
  '<html><body><script>alert(1)</script></body></html>',
  '<!DOCTYPE html><title>x</title>',
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
  '<iframe src="https://example.org"></iframe>',
  'plain words, then <script>fetch("/api")</script>',
];

describe('a PDF is one a PDF parser opens', () => {
  it('accepts real PDFs', async () => {
    expect(await verdict(minimalPdf())).toEqual({ type: 'application/pdf' });
    expect(await verdict(await pdfWithLines(['A fictional overview report.', 'Second line.']))).toEqual({ type: 'application/pdf' });
  });

  it.each(['1.0', '1.3', '1.4', '1.7', '2.0'])('refuses HTML after a %%PDF-%s header', async (version) => {
    for (const html of HTML_BODIES) {
      for (const after of ['', '\n%%EOF\n', '\ntrailer<</Root 1 0 R>>\n%%EOF\n']) {
        expect(await verdict(`%PDF-${version}\n${html}${after}`)).toEqual(refused(415));
      }
    }
  });

  it('refuses a PDF cut short anywhere before its cross-reference is found', async () => {
    const whole = minimalPdf();
    const end = whole.indexOf('startxref');
    for (let cut = 8; cut < end; cut += 7) expect(await verdict(whole.subarray(0, cut))).toEqual(refused(415));
  });

  it('refuses a PDF with no page', async () => {
    const noPages = minimalPdf().toString('latin1').replace('/Kids[3 0 R]/Count 1', '/Kids[]/Count 0');
    expect(await verdict(Buffer.from(noPages, 'latin1'))).toEqual(refused(415));
  });
});

const CONTENT_TYPES = (overrides: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`;
const WORD_MAIN = '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>';
const RELS = (target: string, type = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument') =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${type}" Target="${target}"/></Relationships>`;
const DOCUMENT = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Fictional.</w:t></w:r></w:p></w:body></w:document>';

/** A Word package with its parts as given; any left out is the good one. */
type Part = string | Buffer | null;

function docx(parts: { types?: Part; rels?: Part; document?: Part; more?: ZipEntry[]; deflate?: boolean }): Buffer {
  const entries: ZipEntry[] = [];
  const add = (name: string, given: Part | undefined, good: string) => {
    if (given !== null) entries.push({ name, data: given ?? good, deflate: parts.deflate });
  };
  add('[Content_Types].xml', parts.types, CONTENT_TYPES(WORD_MAIN));
  add('_rels/.rels', parts.rels, RELS('word/document.xml'));
  add('word/document.xml', parts.document, DOCUMENT);
  return buildZip([...entries, ...(parts.more ?? [])]);
}

describe('a DOCX is a package whose content types and main part are a Word document’s', () => {
  it('accepts real Word packages, stored or deflated', async () => {
    expect(await verdict(minimalDocx())).toEqual({ type: DOCX_TYPE });
    expect(await verdict(docx({}))).toEqual({ type: DOCX_TYPE });
    expect(await verdict(docx({ deflate: true }))).toEqual({ type: DOCX_TYPE });
    expect(await verdict(docx({ rels: RELS('/word/document.xml') }))).toEqual({ type: DOCX_TYPE });
  });

  const hostile: [string, Buffer][] = [
    ['only word/document.xml and an index.html', buildZip([{ name: 'word/document.xml', data: DOCUMENT }, { name: 'index.html', data: HTML_BODIES[0] }])],
    ['no content types', docx({ types: null })],
    ['no package relationships', docx({ rels: null })],
    ['no main document part', docx({ document: null })],
    ['a main part that is HTML', docx({ rels: RELS('index.html'), more: [{ name: 'index.html', data: HTML_BODIES[0] }] })],
    ['a main relationship of another type', docx({ rels: RELS('word/document.xml', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image') })],
    ['a main part typed as plain XML', docx({ types: CONTENT_TYPES('') })],
    ['a main part typed as HTML', docx({ types: CONTENT_TYPES('<Override PartName="/word/document.xml" ContentType="text/html"/>') })],
    ['content types that are not well-formed', docx({ types: CONTENT_TYPES(WORD_MAIN).replace('</Types>', '') })],
    ['content types of another namespace', docx({ types: CONTENT_TYPES(WORD_MAIN).replace('package/2006/content-types', 'evil') })],
    ['relationships that are not well-formed', docx({ rels: RELS('word/document.xml').slice(0, -10) })],
    ['a main part that is not well-formed', docx({ document: DOCUMENT.replace('</w:body>', '') })],
    ['a main part that is HTML in a Word name', docx({ document: HTML_BODIES[0] })],
    ['a main part of another namespace', docx({ document: DOCUMENT.replace(/wordprocessingml\/2006\/main/, 'html') })],
    ['a main part with a DOCTYPE', docx({ document: DOCUMENT.replace('?>', '?><!DOCTYPE w:document [<!ENTITY a "aaaa">]>') })],
    ['a main part that is not UTF-8', docx({ document: Buffer.concat([Buffer.from(DOCUMENT.slice(0, 200)), Buffer.from([0xe9]), Buffer.from(DOCUMENT.slice(200))]) })],
    ['the same part twice', docx({ more: [{ name: 'word/document.xml', data: HTML_BODIES[0] }] })],
    ['a spreadsheet', minimalXlsx()],
  ];

  it.each(hostile)('refuses a package with %s (415)', async (_what, bytes) => {
    expect(await verdict(bytes)).toEqual(refused(415));
  });

  it('refuses a Word package cut short anywhere (415)', async () => {
    const whole = docx({ deflate: true });
    for (let cut = 4; cut < whole.length; cut += 23) expect(await verdict(whole.subarray(0, cut))).toEqual(refused(415));
  });

  it('refuses a Word bomb, honest about its size or not, naming the limit (413)', async () => {
    const body = await deflatedRepeat(DOCUMENT.slice(0, DOCUMENT.indexOf('<w:p>')), '<w:p/>', 400_000, '</w:body></w:document>');
    for (const declaredSize of [undefined, 1000, DOCUMENT.length]) {
      const bomb = docx({ document: null, more: [{ name: 'word/document.xml', deflated: body, declaredSize }] });
      expect(bomb.length).toBeLessThan(20_000);
      const answer = await verdict(bomb);
      expect(answer).toEqual(refused(413));
      expect('refused' in answer && answer.refused.detail).toMatch(/at most 1 MB/);
    }
  });

  it('refuses a package whose other parts inflate beyond what they declare (413)', async () => {
    const image = await deflatedRepeat('', '\0', 2 * 1024 * 1024, '');
    const bomb = docx({ more: [{ name: 'word/media/image1.png', deflated: image, declaredSize: 10 }] });
    expect(await verdict(bomb)).toEqual(refused(413));
  });
});

describe('plain text holds no markup or script', () => {
  it('accepts prose, with its angle brackets', async () => {
    for (const text of ['A fictional note, café.\n', 'Risk score < 5 and > 3.\n', 'Meeting at 10:00 -> agreed.\r\n', '\uFEFFA note with a BOM.\n', 'See section 4<b (draft).\n']) {
      expect(await verdict(text)).toEqual({ type: 'text/plain' });
    }
  });

  const MARKUP = [
    ...HTML_BODIES,
    '<?xml version="1.0"?><note>x</note>',
    '<note><to>someone</to></note>',
    '<!-- a comment -->',
    '<svg><script>alert(1)</script></svg>',
    '<SVG viewBox="0 0 1 1"></SVG>',
    '<x:root xmlns:x="urn:x"/>',
    '<img src=x onerror=alert(1)>',
    '<object data="x.swf"></object>',
    '<math><mi>x</mi></math>',
    '<xsl:stylesheet version="1.0"/>',
    '#!/bin/sh\nrm -rf /\n',
    '#!/usr/bin/env node\nconsole.log(1)\n',
  ];

  it('refuses markup and script sent as text, wherever it starts (415)', async () => {
    for (const markup of MARKUP) {
      for (const before of ['', '\uFEFF', '   \n\t', 'A fictional note.\n', 'Ordinary words then ']) {
        // A script's #! counts only as the file's first characters.
        if (markup.startsWith('#!') && before !== '' && before !== '\uFEFF') continue;
        expect(await verdict(before + markup)).toEqual(refused(415));
      }
    }
  });

  it('refuses text with NUL bytes or invalid UTF-8 (415)', async () => {
    expect(await verdict(Buffer.from('text with a \0 inside'))).toEqual(refused(415));
    expect(await verdict(Buffer.from([0xc3, 0x28]))).toEqual(refused(415));
  });
});
