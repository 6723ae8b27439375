import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import { type ApiTokenRow, ApiTokenRepository } from '../auth/api-token.repository';
import { type Principal, type Role, actorOf } from '../auth/principal';
import { ProblemException } from '../common/problem';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import type { StaffRole } from './console.types';
import { hashPassword } from './password-hasher';
import { type StaffAccount, type StaffChanges, StaffRepository } from './staff.repository';
import { StaffSessionRepository } from './staff-session.repository';

export interface NewStaff {
  email: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

export interface StaffUpdate {
  displayName?: string;
  role?: StaffRole;
  disabled?: boolean;
  password?: string;
}

/**
 * Admin work on staff accounts and API tokens. Every change is audited (never with a password or token), and
 * any change that alters what an account may do (role, disabling, a new password) ends its sessions.
 */
@Injectable()
export class StaffAdminService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly staff: StaffRepository,
    private readonly sessions: StaffSessionRepository,
    private readonly tokens: ApiTokenRepository,
    private readonly audit: AuditRepository,
  ) {}

  listStaff(): Promise<StaffAccount[]> {
    return this.staff.list();
  }

  async createStaff(input: NewStaff, actor: string): Promise<StaffAccount> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    return withTransaction(this.pool, async (tx) => {
      if (await this.staff.existsByEmail(email, tx)) {
        throw new ProblemException(409, 'conflict', 'Already exists', `A staff account for ${email} exists.`);
      }
      const account = await this.staff.create(tx, {
        email,
        displayName: input.displayName.trim() || email,
        role: input.role,
        passwordHash,
      });
      await this.audit.record(tx, [
        {
          entityType: 'staff',
          entityId: account.id,
          action: 'create',
          actor,
          changedFields: ['email', 'displayName', 'role', 'password'],
          after: { email, displayName: account.displayName, role: account.role },
        },
      ]);
      return account;
    });
  }

  async updateStaff(id: string, update: StaffUpdate, principal: Principal): Promise<StaffAccount> {
    const passwordHash = update.password !== undefined ? await hashPassword(update.password) : undefined;
    return withTransaction(this.pool, async (tx) => {
      const before = await this.staff.findById(id, tx, true);
      if (!before) throw staffNotFound(id);
      const losesAdmin =
        before.role === 'admin' &&
        !before.disabled &&
        ((update.role !== undefined && update.role !== 'admin') || update.disabled === true);
      if (losesAdmin && (await this.staff.countActiveAdmins(tx)) <= 1) {
        throw new ProblemException(
          409,
          'last-admin',
          'Last admin',
          'This is the only active admin; make another admin first so the console stays manageable.',
        );
      }
      const changes: StaffChanges = {
        displayName: update.displayName?.trim() || undefined,
        role: update.role,
        disabled: update.disabled,
        passwordHash,
      };
      const after = await this.staff.update(tx, id, changes);
      const fields = [
        ...(after.displayName !== before.displayName ? ['displayName'] : []),
        ...(after.role !== before.role ? ['role'] : []),
        ...(after.disabled !== before.disabled ? ['disabled'] : []),
        ...(passwordHash ? ['password'] : []),
      ];
      if (fields.length === 0) return after;
      const endsSessions = fields.some((f) => f !== 'displayName');
      if (endsSessions) await this.sessions.deleteAllFor(id, tx);
      const pick = (a: StaffAccount) => ({ displayName: a.displayName, role: a.role, disabled: a.disabled });
      await this.audit.record(tx, [
        {
          entityType: 'staff',
          entityId: id,
          action: 'update',
          actor: actorOf(principal),
          changedFields: fields,
          before: pick(before),
          after: pick(after),
        },
      ]);
      return after;
    });
  }

  /** Ends every session of an account (admin action, e.g. a lost laptop). */
  async endSessions(id: string, principal: Principal): Promise<{ signedOut: number }> {
    return withTransaction(this.pool, async (tx) => {
      if (!(await this.staff.findById(id, tx))) throw staffNotFound(id);
      const n = await this.sessions.deleteAllFor(id, tx);
      await this.audit.record(tx, [
        {
          entityType: 'staff',
          entityId: id,
          action: 'end-sessions',
          actor: actorOf(principal),
          changedFields: ['sessions'],
        },
      ]);
      return { signedOut: n };
    });
  }

  listTokens(): Promise<ApiTokenRow[]> {
    return this.tokens.list();
  }

  /** The token is in the answer once and never again (only its hash is stored). */
  async createToken(name: string, role: Role, principal: Principal): Promise<{ id: string; token: string }> {
    const created = await this.tokens.create(name.trim(), role);
    await this.audit.record(this.pool, [
      {
        entityType: 'api_token',
        entityId: created.id,
        action: 'create',
        actor: actorOf(principal),
        changedFields: ['name', 'role'],
        after: { name: name.trim(), role },
      },
    ]);
    return created;
  }

  async revokeToken(id: string, principal: Principal): Promise<{ revoked: true }> {
    if (!(await this.tokens.revoke(id))) {
      throw new ProblemException(404, 'not-found', 'Not found', `No active API token with id ${id}.`);
    }
    await this.audit.record(this.pool, [
      {
        entityType: 'api_token',
        entityId: id,
        action: 'revoke',
        actor: actorOf(principal),
        changedFields: ['revokedAt'],
      },
    ]);
    return { revoked: true };
  }
}

const staffNotFound = (id: string) =>
  new ProblemException(404, 'not-found', 'Not found', `No staff account with id ${id}.`);
