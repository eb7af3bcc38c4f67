import { describe, expect, it } from '@jest/globals';
import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import request from 'supertest';
import { securityHeaders, webPageSecurity } from './security-headers.js';

/** The headers of one answer from an app that uses `middleware`, without those that vary by moment. */
async function headersWith(middleware: express.RequestHandler): Promise<Record<string, unknown>> {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('X-Powered-By', 'something');
    next();
  });
  app.use(middleware);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const { date: _date, ...headers } = (await request(app).get('/')).headers;
  return headers;
}

describe('securityHeaders', () => {
  it.each<[string, HelmetOptions]>([
    ['the defaults', {}],
    ['the API’s options outside production', { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }],
    ['the API’s options in production', { contentSecurityPolicy: { directives: { upgradeInsecureRequests: [] } } }],
  ])('answers with exactly the headers helmet sets, with %s', async (_what, options) => {
    const expected = await headersWith(helmet(options));
    expect(await headersWith(securityHeaders(options))).toEqual(expected);
    expect(expected['strict-transport-security']).toBeDefined();
    expect(expected['x-powered-by']).toBeUndefined();
  });

  it('leaves it to helmet when a directive is computed per request (a nonce)', async () => {
    let n = 0;
    const options: HelmetOptions = { contentSecurityPolicy: { directives: { scriptSrc: [() => `'nonce-${++n}'`] } } };
    const middleware = securityHeaders(options);
    const first = await headersWith(middleware);
    const second = await headersWith(middleware);
    expect(first['content-security-policy']).not.toEqual(second['content-security-policy']);
  });

  it('gives the web pages their own policy, allowing no script, and every other answer the API’s', async () => {
    const app = express();
    app.use(securityHeaders({}, { paths: /^\/page$/i, options: webPageSecurity(true) }));
    app.get(['/page', '/api'], (_req, res) => {
      res.send('ok');
    });
    const page = (await request(app).get('/PAGE')).headers;
    expect(page['content-security-policy']).toBe(
      "default-src 'none';style-src 'self';img-src 'self';script-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none';upgrade-insecure-requests",
    );
    expect(page['x-frame-options']).toBe('DENY');
    expect(page['strict-transport-security']).toBeDefined();
    const api = (await request(app).get('/api')).headers;
    expect(api['content-security-policy']).toMatch(/^default-src 'self';/);
    expect(api['x-frame-options']).toBe('SAMEORIGIN');
  });
});
