import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../access/roles.js';
import { Agency } from '../agencies/agency.entity.js';
import { AuditService, changedFields } from '../audit/audit.service.js';
import { hashPassword } from '../auth/passwords.js';
import { clearSignInLocks, revokeAllSessions } from '../auth/sessions.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { badRequest, conflict, notFound, type FieldError } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Partnership } from '../partnerships/partnership.entity.js';
import { CreateUserRequest, UpdateUserRequest, UserQuery, UserView, toUserView } from './user.dto.js';
import { User } from './user.entity.js';
import { LOCK_USERS_FOR_BOOTSTRAP } from './users.queries.js';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** With no user at all, BOOTSTRAP_ADMIN_* create the first SDP administrator. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const created = await this.dataSource.transaction(async (tx) => {
      await tx.query(LOCK_USERS_FOR_BOOTSTRAP);
      if ((await tx.count(User)) > 0) return false;
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

  async view(id: string): Promise<UserView> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw notFound('user');
    return toUserView(user);
  }

  async list(query: UserQuery): Promise<Page<UserView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const q = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (query.role) q.andWhere('u.role = :role', { role: query.role });
    if (query.partnershipId) q.andWhere('u.partnership_id = :p', { p: query.partnershipId });
    if (query.agencyId) q.andWhere('u.agency_id = :a', { a: query.agencyId });
    if (query.active !== undefined) q.andWhere('u.active = :active', { active: query.active });
    if (after) q.andWhere('lower(u.email) > :after', { after: String(after[0]) });
    const rows = await q.orderBy('lower(u.email)').limit(limit + 1).getMany();
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
      const before = await tx
        .getRepository(User)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :id', { id })
        .getOne();
      if (!before) throw notFound('user');
      const membership = this.mergedMembership(before, body);
      await this.checkMembership(tx, membership);
      const patch: Partial<User> = { ...membership, updatedAt: this.clock.now() };
      if (body.name !== undefined) patch.name = body.name;
      if (body.active !== undefined) patch.active = body.active;
      if (body.active === true) {
        Object.assign(patch, { failedLoginCount: 0, lockedAt: null });
        await clearSignInLocks(tx, id);
      }
      if (body.password !== undefined) patch.passwordHash = await hashPassword(body.password);
      await this.checkAdminRemains(tx, before, { ...before, ...patch });
      await tx.update(User, { id }, patch);
      const after = { ...before, ...patch };
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
  private async checkMembership(tx: EntityManager, m: Membership): Promise<void> {
    const errors: FieldError[] = [];
    if (m.role === 'csp_chair' && !m.partnershipId) errors.push({ field: 'partnershipId', message: 'a csp_chair needs partnershipId' });
    if (m.role !== 'csp_chair' && m.partnershipId) errors.push({ field: 'partnershipId', message: `a ${m.role} has no partnershipId` });
    if (m.role === 'agency_lead' && !m.agencyId) errors.push({ field: 'agencyId', message: 'an agency_lead needs agencyId' });
    if (m.role !== 'agency_lead' && m.agencyId) errors.push({ field: 'agencyId', message: `a ${m.role} has no agencyId` });
    if (m.partnershipId && !(await tx.existsBy(Partnership, { id: m.partnershipId }))) {
      errors.push({ field: 'partnershipId', message: 'no partnership has this id' });
    }
    if (m.agencyId && !(await tx.existsBy(Agency, { id: m.agencyId, active: true }))) {
      errors.push({ field: 'agencyId', message: 'no active agency has this id' });
    }
    if (errors.length > 0) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  private async checkEmailFree(tx: EntityManager, email: string): Promise<void> {
    const taken = await tx
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email })
      .getExists();
    if (taken) throw conflict('email-taken', 'A user with this e-mail already exists.');
  }

  /** Someone must always be able to manage users: the last active SDP admin cannot be removed. */
  private async checkAdminRemains(tx: EntityManager, before: User, after: User): Promise<void> {
    const wasAdmin = before.role === 'sdp_admin' && before.active;
    const staysAdmin = after.role === 'sdp_admin' && after.active;
    if (!wasAdmin || staysAdmin) return;
    const others = await tx
      .getRepository(User)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where("u.role = 'sdp_admin' AND u.active AND u.id <> :id", { id: before.id })
      .getMany();
    if (others.length === 0) throw conflict('last-admin', 'This is the last active SDP administrator; appoint another first.');
  }

  private async insertUser(
    tx: EntityManager,
    data: Membership & { email: string; name: string; password: string },
  ): Promise<User> {
    const now = this.clock.now();
    const user = tx.create(User, {
      email: data.email.toLowerCase(),
      name: data.name,
      role: data.role,
      partnershipId: data.partnershipId,
      agencyId: data.agencyId,
      passwordHash: await hashPassword(data.password),
      active: true,
      failedLoginCount: 0,
      lockedAt: null,
      updatedAt: now,
    });
    return tx.save(user);
  }
}
