/**
 * Fictional chronologies for the benchmarks, the same rows on every run:
 * written as a CSV or as a workbook the way Excel writes one.
 */
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
/** A small deterministic generator (mulberry32), so every run imports the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = ['Control room log', 'Custody record', 'GP record', 'Hospital notes', 'Health visitor notes', 'Housing file', 'Probation case notes'];
const EVENTS = ['Call', 'Attendance', 'Appointment', 'Referral', 'Home visit', 'Arrest', 'Letter'];
const DETAILS = [
  'Call from a neighbour about raised voices at the address',
  'Appointment about low mood; signposted to talking therapies',
  'Attendance at the emergency department with a wrist injury, said to be a fall',
  'Home visit; the partner answered the door and did not allow a private conversation',
  'Referral received about rent arrears, "urgent" marked by the caller',
  'Letter sent offering a follow-up appointment, not attended',
];
const SUBJECTS = ['Anna', 'Ben', '', ''];
const pad = (n: number) => String(n).padStart(2, '0');

interface GeneratedRow {
  date: string | Date;
  time: string;
  source: string;
  details: string;
  subject: string;
  eventType: string;
  action: string;
  comment: string;
}

/** One row: mostly exact dates (ISO or UK), some month or year only, some uncertain; half with a time. */
function row(next: () => number, n: number): GeneratedRow {
  const year = 2012 + Math.floor(next() * 13);
  const month = 1 + Math.floor(next() * 12);
  const day = 1 + Math.floor(next() * 28);
  const r = next();
  const date =
    r < 0.05 ? `${pad(month)}/${year}` : r < 0.07 ? String(year) : r < 0.5 ? `${year}-${pad(month)}-${pad(day)}` : `${pad(day)}/${pad(month)}/${year}`;
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  return {
    date: next() < 0.03 ? `?${date}` : date,
    time: next() < 0.5 ? `${pad(Math.floor(next() * 24))}:${pad(Math.floor(next() * 60))}` : '',
    source: pick(SOURCES),
    details: `${pick(DETAILS)} (entry ${n})`,
    subject: pick(SUBJECTS),
    eventType: pick(EVENTS),
    action: next() < 0.3 ? 'Advice given; no further action' : '',
    comment: next() < 0.1 ? 'Recorded late, from memory' : '',
  };
}

const HEADER = ['Date', 'Time', 'Source of information', 'Details of the event', 'Subject', 'Event type', 'Action taken', 'Comment'];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function writeCsv(path: string, rows: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  const next = random(seed);
  out.write(HEADER.join(',') + '\r\n');
  for (let n = 1; n <= rows; n++) {
    const r = row(next, n);
    const line = [r.date as string, r.time, r.source, r.details, r.subject, r.eventType, r.action, r.comment].map(csvField).join(',') + '\r\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** A workbook as Excel writes one: exact dates as date cells, the partial and uncertain ones as text. */
export async function writeXlsx(path: string, rows: number, seed: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Chronology');
  sheet.addRow(HEADER).commit();
  const next = random(seed);
  for (let n = 1; n <= rows; n++) {
    const r = row(next, n);
    const iso = typeof r.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.date) ? r.date : null;
    const added = sheet.addRow([iso ? new Date(`${iso}T00:00:00Z`) : r.date, r.time, r.source, r.details, r.subject, r.eventType, r.action, r.comment]);
    if (iso) added.getCell(1).numFmt = 'yyyy-mm-dd';
    added.commit();
  }
  sheet.commit();
  await workbook.commit();
}

