/**
 * Sign-in limits a stranger cannot turn against an account's owner
 * (docs/security.md, "Sign-in limits and trusted proxies"): the slowdown,
 * the lock that only an e-mailed unlock link lifts, and the link itself, read
 * from a real SMTP server. The settings are the defaults; the clock is the
 * test's own, moved by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { UnlockLinks } from '../src/auth/unlock-links.service.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { auditActions, createUser, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

/** The text of a received e-mail, its quoted-printable soft breaks and escapes undone. */
const mailText = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('sign-in limits that a stranger cannot turn against the owner', () => {
  let t: World;
  let admin: Session;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let people = 0;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // X-Forwarded-For from the test client (loopback) is believed, so a test can sign in from many addresses
    t = await buildWorld({
      trustProxy: ['127.0.0.0/8', '::1/128'],
      mail: { smtpUrl: smtp.url, from: 'dhr@example.org', intervalSeconds: 3600, maxAttempts: 3 },
    });
    admin = t.cast.admin;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const from = (ip: string, email: string, password: string) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  async function newPerson() {
    people++;
    const person = { email: `owner${people}@example.org`, name: `Robin Owner${people}`, role: 'csp_chair', password: `owner-password-${people}0` };
    const id = await createUser(t, admin, { ...person, partnershipId: t.cast.exeter });
    return { ...person, id };
  }

  /** A wrong password heard from `ip`, waiting out the slowdown on the test clock first if asked to. */
  async function wrongPassword(ip: string, email: string) {
    let res = await from(ip, email, 'not-the-password');
    if (res.status === 429) {
      const wait = Number(res.headers['retry-after']);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(t.config.loginSlowdownMaxSeconds);
      t.clock.advanceMinutes(wait / 60);
      res = await from(ip, email, 'not-the-password');
    }
    expect(res.status).toBe(401);
  }

  /** Puts the account one wrong password short of the lock, as a long run of guesses would. */
  async function bringToTheBrink(id: string) {
    await t.dataSource.query('UPDATE app_user SET failed_login_count = $2 WHERE id = $1', [id, t.config.loginAccountLockAfter - 1]);
  }

  /** The unlock e-mails sent to `email` so far (waiting for those under way), oldest first. */
  async function unlockMails(email: string) {
    await t.app.get(UnlockLinks).idle();
    return smtp.received.filter((m) => m.to.includes(email)).map((m) => mailText(m.raw));
  }

  const tokenIn = (text: string) => {
    const match = /\/unlock\?token=([A-Za-z0-9_-]+)/.exec(text);
    if (!match) throw new Error(`no unlock link in: ${text}`);
    return match[1];
  };

  const lockedAt = async (id: string) => (await t.http.get(`/api/users/${id}`).set(admin.auth).expect(200)).body.lockedAt as string | null;

  it('lets the owner sign in from another address after the slowdown wait, though fifty wrong passwords came from ten addresses', async () => {
    const owner = await newPerson();
    for (let guess = 0; guess < 50; guess++) await wrongPassword(`203.0.113.${1 + (guess % 10)}`, owner.email);
    expect(await lockedAt(owner.id)).toBeNull();

    const slowed = await from('198.51.100.20', owner.email, owner.password).expect(429);
    expect(slowed.headers['content-type']).toContain('application/problem+json');
    expect(Number(slowed.headers['retry-after'])).toBe(t.config.loginSlowdownMaxSeconds);
    t.clock.advanceMinutes(Number(slowed.headers['retry-after']) / 60);
    const signedIn = await from('198.51.100.20', owner.email, owner.password).expect(200);
    expect(signedIn.body.user.id).toBe(owner.id);
    // nothing was locked for everyone, and no unlock e-mail went out
    expect(await auditActions(t, `entity_id = $1 AND action = 'auth.account.locked' AND details->>'scope' = 'account'`, [owner.id])).toEqual([]);
    expect(await unlockMails(owner.email)).toEqual([]);
    // fifty argon2 verifications: slow on a busy machine
  }, 300_000);

  it('never slows the owner at an address they signed in from lately, and slows an unknown e-mail exactly as a known one', async () => {
    const owner = await newPerson();
    await from('198.51.100.30', owner.email, owner.password).expect(200);
    const nobody = 'nobody.here@example.org';
    for (let guess = 0; guess < t.config.loginSlowdownAfter; guess++) {
      await from(`192.0.2.${1 + guess}`, owner.email, 'not-the-password').expect(401);
      await from(`192.0.2.${1 + guess}`, nobody, 'not-the-password').expect(401);
    }
    const [known, unknown] = [await from('198.51.100.99', owner.email, owner.password), await from('198.51.100.99', nobody, 'whatever-it-is')];
    expect([known.status, unknown.status]).toEqual([429, 429]);
    expect(known.headers['retry-after']).toBe(unknown.headers['retry-after']);
    expect({ ...known.body, instance: undefined }).toEqual({ ...unknown.body, instance: undefined });
    // from where the owner signed in before, no wait
    await from('198.51.100.30', owner.email, owner.password).expect(200);
    // two dozen argon2 verifications, one after another: slow on a busy machine
  }, 300_000);

  it('locks the account at the threshold of wrong passwords in a row, right password or not, and answers it as an unknown e-mail', async () => {
    const owner = await newPerson();
    await from('198.51.100.40', owner.email, owner.password).expect(200);
    await t.dataSource.query('UPDATE app_user SET failed_login_count = $2 WHERE id = $1', [owner.id, t.config.loginAccountLockAfter - 2]);
    await wrongPassword('203.0.113.60', owner.email);
    expect(await lockedAt(owner.id)).toBeNull();
    await wrongPassword('203.0.113.61', owner.email);
    expect(await lockedAt(owner.id)).not.toBeNull();

    // locked for everyone, the owner's usual address too, and no wait lifts it (the old lock lasted fifteen minutes)
    t.clock.advanceMinutes(60);
    const locked = await from('198.51.100.40', owner.email, owner.password).expect(401);
    const unknown = await from('198.51.100.41', 'never.registered@example.org', owner.password).expect(401);
    expect({ ...locked.body, instance: undefined }).toEqual({ ...unknown.body, instance: undefined });
    expect(locked.body.detail).toMatch(/unlock/);
    await t.app.get(UnlockLinks).idle();
    expect(await auditActions(t, 'entity_id = $1', [owner.id])).toEqual(
      expect.arrayContaining(['auth.account.locked', 'auth.unlock_link.issued', 'auth.unlock_link.sent']),
    );
  });

  it('lifts the lock with the e-mailed link, once and only once, and keeps the token out of every store', async () => {
    const owner = await newPerson();
    await bringToTheBrink(owner.id);
    await wrongPassword('203.0.113.70', owner.email);
    const mails = await unlockMails(owner.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail).toContain(`${t.config.publicBaseUrl}/unlock?token=`);
    expect(mail).not.toContain(owner.name);
    const token = tokenIn(mail);

    // the token is stored only as its hash: not in the trail, the outbox, the notifications
    const [stored] = await t.dataSource.query('SELECT token_hash FROM sign_in_unlock WHERE user_id = $1', [owner.id]);
    expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    for (const table of ['audit_event', 'email_outbox', 'notification', 'sign_in_unlock']) {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, $1) > 0`, [token]);
      expect([table, n]).toEqual([table, 0]);
    }

    await t.http.post('/api/auth/unlock').send({ token }).expect(204);
    expect(await lockedAt(owner.id)).toBeNull();
    const spent = await t.http.post('/api/auth/unlock').send({ token }).expect(400);
    expect(spent.headers['content-type']).toContain('application/problem+json');
    // signed in at once, from an address never used, with no wait left over
    await from('198.51.100.50', owner.email, owner.password).expect(200);
    expect(await auditActions(t, `entity_id = $1 AND (action LIKE 'auth.unlock%' OR action = 'auth.account.unlocked')`, [owner.id])).toEqual([
      'auth.unlock_link.issued',
      'auth.unlock_link.sent',
      'auth.account.unlocked',
    ]);
    // a spent link is gone: its refusal is audited against no one
    const [refusal] = await t.dataSource.query(`SELECT entity_id, details FROM audit_event WHERE action = 'auth.unlock.refused' ORDER BY seq DESC LIMIT 1`);
    expect(refusal).toEqual({ entity_id: null, details: { reason: 'unknown_or_spent' } });
  });

  it('refuses an expired link like a spent or made-up one, and sends a new link only to a locked account’s owner', async () => {
    const owner = await newPerson();
    const bystander = await newPerson();
    await bringToTheBrink(owner.id);
    await wrongPassword('203.0.113.80', owner.email);
    const token = tokenIn((await unlockMails(owner.email))[0]);

    t.clock.advanceMinutes(t.config.unlockLinkMinutes + 1);
    const expired = await t.http.post('/api/auth/unlock').send({ token }).expect(400);
    const madeUp = await t.http.post('/api/auth/unlock').send({ token: 'x'.repeat(43) }).expect(400);
    expect({ ...expired.body, instance: undefined }).toEqual({ ...madeUp.body, instance: undefined });
    await from('198.51.100.60', owner.email, owner.password).expect(401);

    // asking answers alike for the locked owner, an unlocked account and no account at all
    const answers = [];
    for (const email of [owner.email, bystander.email, 'no.such.person@example.org', owner.email.toUpperCase()]) {
      answers.push((await t.http.post('/api/auth/unlock/request').send({ email }).expect(202)).body);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    // …and only the locked owner is sent a link, once however often they ask within minutes
    expect(await unlockMails(bystander.email)).toEqual([]);
    const mails = await unlockMails(owner.email);
    expect(mails).toHaveLength(2);
    const fresh = tokenIn(mails[1]);
    expect(fresh).not.toBe(token);
    await t.http.post('/api/auth/unlock').send({ token }).expect(400);
    await t.http.post('/api/auth/unlock').send({ token: fresh }).expect(204);
    await from('198.51.100.60', owner.email, owner.password).expect(200);
  });

  it('refuses every hostile or near-miss token with the same 400, unlocking nothing', async () => {
    const owner = await newPerson();
    await bringToTheBrink(owner.id);
    await wrongPassword('203.0.113.90', owner.email);
    const token = tokenIn((await unlockMails(owner.email))[0]);
    const nearMisses = fc.oneof(
      fc.nat({ max: token.length - 1 }).map((i) => token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)),
      fc.nat({ max: token.length - 1 }).map((i) => token.slice(0, i + 1)),
      fc.constant(token.toUpperCase()),
      fc.constant(` ${token}`),
      fc.constant(`${token}=`),
      fc.string({ minLength: 1, maxLength: 200 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    );
    const expected = { ...(await t.http.post('/api/auth/unlock').send({ token: 'made-up' })).body, instance: undefined };
    await fc.assert(
      fc.asyncProperty(nearMisses, async (guess) => {
        fc.pre(guess !== token);
        const res = await t.http.post('/api/auth/unlock').send({ token: guess });
        expect(res.status).toBe(400);
        expect({ ...res.body, instance: undefined }).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    for (const body of [{}, { token: '' }, { token: 12 }, { token: ['a'] }, { token: 'x'.repeat(201) }, { token, extra: 1 }]) {
      const res = await t.http.post('/api/auth/unlock').send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await lockedAt(owner.id)).not.toBeNull();
    // the real link still works after all that
    await t.http.post('/api/auth/unlock').send({ token }).expect(204);
  });
});
