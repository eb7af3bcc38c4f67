import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AnswerCheck, type OpenApiDocument } from './support/answers.js';
import { createCase } from './support/case-fixtures.js';
import { buildWorld, type World } from './support/world.js';

const run = promisify(execFile);

interface Finding {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { in: string; name: string }[] }>>;
  components: { schemas: Record<string, { properties: Record<string, { items?: { enum?: string[] } }> }> };
}

/** Spectral with the project's ruleset (.spectral.yaml: Spectral's OpenAPI ruleset and the OWASP API ruleset, and why each rule turned off is off). */
async function lint(document: Document): Promise<Finding[]> {
  const folder = await mkdtemp(join(tmpdir(), 'dhr-openapi-'));
  try {
    const file = join(folder, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    // --fail-severity=hint: any finding at all makes the exit code non-zero; the JSON says which.
    const outcome = await run('node_modules/.bin/spectral', ['lint', '-r', '.spectral.yaml', file, '-f', 'json', '-q', '--fail-severity=hint'], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout) throw new Error(`spectral did not run: ${error.stderr}`);
      return error;
    });
    return JSON.parse(outcome.stdout || '[]') as Finding[];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')).map((e) => join(e.parentPath, e.name));
}

/** Every code the source puts in `unmet`: `unmet: 'x'`, `unmet: ['x']`, `refused('x'`, `refused(['x']`, and `? ['x']` code lists. */
async function unmetLiteralsInSource(): Promise<Set<string>> {
  const found = new Set<string>();
  const shapes = [/unmet:\s*\[?\s*'([a-z0-9_]+)'/g, /refused\(\s*\[?\s*'([a-z0-9_]+)'/g, /\?\s*\['([a-z0-9_]+)'\]/g];
  for (const file of await sourceFiles('src')) {
    const text = await readFile(file, 'utf8');
    if (!text.includes('unmet')) continue;
    for (const shape of shapes) for (const match of text.matchAll(shape)) found.add(match[1]);
  }
  return found;
}

describe('the OpenAPI document', () => {
  let t: World;
  let document: Document;

  beforeAll(async () => {
    t = await buildWorld();
    document = (await t.http.get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(() => t.close());

  // Spectral's OpenAPI ruleset validates every example against its schema: some seconds alone, a minute or more on a loaded machine.
  it('passes Spectral’s OpenAPI and OWASP API rulesets without a single finding', async () => {
    const findings = await lint(document);
    expect(findings.map((f) => `${f.code} at ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  }, 300_000);

  it('lists every error answer of every operation as an RFC 9457 problem', () => {
    const always = ['400', '401', '403', '404', '409', '429', '500', '503'];
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        operations++;
        expect({ path, method, errors: always.filter((s) => !(s in operation.responses)) }).toEqual({ path, method, errors: [] });
        const ifMatch = operation.parameters?.some((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match');
        if (ifMatch) expect(['412', '428'].every((s) => s in operation.responses)).toBe(true);
      }
    }
    expect(operations).toBeGreaterThan(60);
    expect(document.paths['/api/cases/{id}/documents'].post.responses).toHaveProperty('413');
    expect(document.paths['/api/cases/{id}/chronologies'].post.responses).toHaveProperty('422');
  });

  it('lists every unmet code the source can answer, and nothing else', async () => {
    const listed = document.components.schemas.Problem.properties.unmet.items?.enum ?? [];
    const inSource = await unmetLiteralsInSource();
    expect(inSource.size).toBeGreaterThan(30);
    expect([...inSource].filter((code) => !listed.includes(code))).toEqual([]);
    expect(listed.filter((code) => !inSource.has(code))).toEqual([]);
  });

  it('describes path parameters as uuids, or a case by its id or reference, as every controller reads them', async () => {
    const controllers = (await sourceFiles('src')).filter((file) => file.endsWith('.controller.ts'));
    const texts = await Promise.all(controllers.map((file) => readFile(file, 'utf8')));
    const params = texts.flatMap((text) => text.match(/@Param\([^)]*\)/g) ?? []);
    expect(params.length).toBeGreaterThan(40);
    // a published review's reference on the public page is the one path parameter that is neither an id (UuidParam) nor a case
    expect(params.filter((param) => !param.includes('UuidParam') && param !== "@Param('id', CaseIdPipe)" && param !== "@Param('reference')")).toEqual([]);
    // a case is read through CaseIdPipe on every route under /api/cases/:id, and on none other
    const controllerTexts = texts.flatMap((text) => text.split(/(?=@Controller\()/).slice(1));
    const routes = controllerTexts.flatMap((text) => {
      const prefix = /^@Controller\('([^']*)'\)/.exec(text)?.[1] ?? '';
      // each route: its decorator and everything up to the next route's
      return text
        .split(/(?=@(?:Get|Post|Patch|Put|Delete)\()/)
        .slice(1)
        .map((chunk) => ({ path: [prefix, /^@\w+\('?([^')]*)'?\)/.exec(chunk)?.[1]].filter(Boolean).join('/'), text: chunk }));
    });
    const caseRoutes = routes.filter((r) => /^cases\/:id\b/.test(r.path));
    expect(caseRoutes.length).toBeGreaterThan(35);
    expect(caseRoutes.filter((r) => !r.text.includes("@Param('id', CaseIdPipe)")).map((r) => r.path)).toEqual([]);
    expect(routes.filter((r) => !/^cases\/:id\b/.test(r.path) && r.text.includes('CaseIdPipe')).map((r) => r.path)).toEqual([]);
    const pathParameters = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.values(item).map((operation) => ({ path, operation })))
      .flatMap(({ path, operation }) =>
        ((operation.parameters ?? []) as { in: string; name: string; schema?: { format?: string; pattern?: string } }[]).map((p) => ({ path, ...p })),
      )
      .filter((parameter) => parameter.in === 'path');
    const isCase = (p: { path: string; name: string }) => p.name === 'id' && p.path.startsWith('/api/cases/{id}');
    expect(pathParameters.filter((p) => !isCase(p) && p.schema?.format !== 'uuid' && !(p.name === 'reference' && p.schema?.pattern !== undefined))).toEqual([]);
    const caseParameters = pathParameters.filter(isCase);
    expect(caseParameters.length).toBeGreaterThan(35);
    for (const p of caseParameters) {
      const pattern = new RegExp(p.schema?.pattern ?? '^$');
      expect(['DHR-2026-001', 'dhr-2026-001', '6f1c2a3e-0b4d-4c5e-8f6a-7b8c9d0e1f2a'].every((id) => pattern.test(id))).toBe(true);
      expect(['DHR 2026 001', 'DHR-٢٠٢٦-001', "1' OR '1'='1"].some((id) => pattern.test(id))).toBe(false);
    }
  });

  it('fails a real answer that drifts from it: a field added, a field taken away, a status it does not list', async () => {
    const check = new AnswerCheck(document as unknown as OpenApiDocument);
    const answer = await t.http.get(`/api/users/${t.cast.exeterChair.userId}`).set(t.cast.admin.auth).expect(200);
    const url = `/api/users/${t.cast.exeterChair.userId}`;
    expect(check.problemsOf('GET', url, answer)).toBeUndefined();
    expect(check.problemsOf('GET', url, { ...answer, body: { ...answer.body, passwordHash: 'x' } })).toBe(
      'GET /api/users/{id} 200: the body does not match the document: (body) must NOT have additional properties {"additionalProperty":"passwordHash"}',
    );
    const { email: _email, ...withoutEmail } = answer.body as Record<string, unknown>;
    expect(check.problemsOf('GET', url, { ...answer, body: withoutEmail })).toMatch(/^GET \/api\/users\/\{id\} 200: the body does not match the document: \(body\) must have required property 'email'/);
    expect(check.problemsOf('GET', url, { ...answer, status: 201 })).toMatch(/^GET \/api\/users\/\{id\} answered 201, which the document does not list/);
  });

  it('lists the codes of a refused request', async () => {
    const listed = document.components.schemas.Problem.properties.unmet.items?.enum ?? [];
    const made = await createCase(t, t.cast.admin, t.cast.exeter);
    const refused = await t.http.post(`/api/cases/${made.id}/transitions`).set(t.cast.exeterChair.auth).send({ to: 'commissioned' }).expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.unmet.length).toBeGreaterThan(0);
    for (const code of refused.body.unmet as string[]) expect(listed).toContain(code);
  });
});
