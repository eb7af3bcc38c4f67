import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '../access/roles.js';
import { ROLE_WORDS } from '../access/refusal-words.js';
import { activeAgency } from '../agencies/agencies.queries.js';
import { AuditService, changedFields } from '../audit/audit.service.js';
import { hashPassword } from '../auth/passwords.js';
import { clearSignInLocks, revokeAllSessions } from '../auth/auth.queries.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { refusalSentence } from '../common/field-messages.js';
import { badRequest, conflict, notFound, type FieldError } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Queryable } from '../common/sql.js';
import { partnershipExists } from '../partnerships/partnerships.queries.js';
import { CreateUserRequest, UpdateUserRequest, UserQuery, UserView, toUserView } from './user.dto.js';
import type { User } from './user.entity.js';
import {
  anyUserExists,
  emailTaken,
  findUser,
  insertUser,
  listUsers,
  lockedUntilFirstUser,
  lockOtherActiveAdmins,
  updateUser,
  type UserChange,
} from './users.queries.js';

interface Membership {
  role: Role;
  partnershipId: string | null;
  agencyId: string | null;
}

const AUDITED_FIELDS = ['email', 'name', 'role', 'partnershipId', 'agencyId', 'active', 'passwordHash'] as const;

function auditSnapshot(user: Partial<User>): Partial<User> {
  return Object.fromEntries(AUDITED_FIELDS.filter((k) => k in user).map((k) => [k, user[k]]));
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** With no user at all, BOOTSTRAP_ADMIN_* create the first SDP administrator. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const created = await this.dataSource.transaction(async (tx) => {
      if (!(await lockedUntilFirstUser(tx))) return false;
      const user = await this.insertUser(tx, { ...admin, role: 'sdp_admin', partnershipId: null, agencyId: null });
      await this.audit.record(tx, {
        action: 'user.bootstrapped',
        actor: null,
        entityType: 'user',
        entityId: user.id,
        changes: changedFields(null, auditSnapshot(user)),
      });
      return true;
    });
    if (created) this.logger.log('created the first SDP administrator from BOOTSTRAP_ADMIN_EMAIL');
  }

  /** Nobody can sign in yet: the server says how to make the first user when it starts (src/main.ts). */
  async noUserYet(): Promise<boolean> {
    return !(await anyUserExists(this.dataSource));
  }

  async view(id: string): Promise<UserView> {
    const user = await findUser(this.dataSource, id);
    if (!user) throw notFound('user');
    return toUserView(user);
  }

  async list(query: UserQuery): Promise<Page<UserView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const filter = {
      role: query.role || undefined,
      partnershipId: query.partnershipId || undefined,
      agencyId: query.agencyId || undefined,
      active: query.active,
      afterEmail: after && String(after[0]),
    };
    const rows = await listUsers(this.dataSource, filter, limit + 1);
    return toPage(rows, limit, toUserView, (u) => [u.email.toLowerCase()]);
  }

  async create(body: CreateUserRequest): Promise<UserView> {
    const membership = { role: body.role, partnershipId: body.partnershipId ?? null, agencyId: body.agencyId ?? null };
    return this.dataSource.transaction(async (tx) => {
      await this.checkMembership(tx, membership);
      await this.checkEmailFree(tx, body.email);
      const user = await this.insertUser(tx, { ...body, ...membership });
      await this.audit.record(tx, {
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        changes: changedFields(null, auditSnapshot(user)),
      });
      return toUserView(user);
    });
  }

  async update(id: string, body: UpdateUserRequest): Promise<UserView> {
    return this.dataSource.transaction(async (tx) => {
      const before = await findUser(tx, id, { lock: true });
      if (!before) throw notFound('user');
      const membership = this.mergedMembership(before, body);
      await this.checkMembership(tx, membership);
      const change: UserChange = { ...membership, name: body.name, active: body.active, unlock: body.active === true };
      if (body.active === true) await clearSignInLocks(tx, id);
      if (body.password !== undefined) change.passwordHash = await hashPassword(body.password);
      const now = this.clock.now();
      const after = changedUser(before, change, now);
      await this.checkAdminRemains(tx, before, after);
      await updateUser(tx, id, change, now);
      if (body.active === false || body.password !== undefined) {
        await revokeAllSessions(tx, id, body.active === false ? 'user_deactivated' : 'password_changed', this.clock.now());
      }
      await this.audit.record(tx, {
        action: body.active === false && before.active ? 'user.deactivated' : 'user.updated',
        entityType: 'user',
        entityId: id,
        changes: changedFields(auditSnapshot(before), auditSnapshot(after)),
      });
      return toUserView(after);
    });
  }

  private mergedMembership(user: User, body: UpdateUserRequest): Membership {
    const role = body.role ?? user.role;
    const roleChanged = role !== user.role;
    return {
      role,
      partnershipId: body.partnershipId !== undefined ? body.partnershipId : roleChanged && role !== 'csp_chair' ? null : user.partnershipId,
      agencyId: body.agencyId !== undefined ? body.agencyId : roleChanged && role !== 'agency_lead' ? null : user.agencyId,
    };
  }

  /** A CSP chair belongs to one CSP, an agency lead to one agency, and nobody else to either. */
  private async checkMembership(tx: Queryable, m: Membership): Promise<void> {
    const errors: FieldError[] = [];
    if (m.role === 'csp_chair' && !m.partnershipId) errors.push({ field: 'partnershipId', message: `partnershipId is required for ${ROLE_WORDS.csp_chair}` });
    if (m.role !== 'csp_chair' && m.partnershipId) errors.push({ field: 'partnershipId', message: `partnershipId is not for ${ROLE_WORDS[m.role]}` });
    if (m.role === 'agency_lead' && !m.agencyId) errors.push({ field: 'agencyId', message: `agencyId is required for ${ROLE_WORDS.agency_lead}` });
    if (m.role !== 'agency_lead' && m.agencyId) errors.push({ field: 'agencyId', message: `agencyId is not for ${ROLE_WORDS[m.role]}` });
    if (m.partnershipId && !(await partnershipExists(tx, m.partnershipId))) {
      errors.push({ field: 'partnershipId', message: 'no partnership has this id' });
    }
    if (m.agencyId && !(await activeAgency(tx, m.agencyId))) {
      errors.push({ field: 'agencyId', message: 'no active agency has this id' });
    }
    if (errors.length > 0) throw badRequest(refusalSentence(errors), errors);
  }

  private async checkEmailFree(tx: Queryable, email: string): Promise<void> {
    if (await emailTaken(tx, email)) throw conflict('email-taken', 'A user with this e-mail already exists.');
  }

  /** Someone must always be able to manage users: the last active SDP admin cannot be removed. */
  private async checkAdminRemains(tx: Queryable, before: User, after: User): Promise<void> {
    const wasAdmin = before.role === 'sdp_admin' && before.active;
    const staysAdmin = after.role === 'sdp_admin' && after.active;
    if (!wasAdmin || staysAdmin) return;
    if ((await lockOtherActiveAdmins(tx, before.id)) === 0) throw conflict('last-admin', 'This is the last active SDP administrator; appoint another first.');
  }

  private async insertUser(tx: Queryable, data: Membership & { email: string; name: string; password: string }): Promise<User> {
    const { email, name, role, partnershipId, agencyId, password } = data;
    const passwordHash = await hashPassword(password);
    return insertUser(tx, { email: email.toLowerCase(), name, role, partnershipId, agencyId, passwordHash }, this.clock.now());
  }
}

/** The user as it stands once `change` is written at `now`. */
function changedUser(before: User, change: UserChange, now: Date): User {
  const { unlock, ...fields } = change;
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return { ...before, ...given, ...(unlock ? { failedLoginCount: 0, lockedAt: null } : {}), updatedAt: now };
}
