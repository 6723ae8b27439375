import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuditRepository } from '../audit/audit.repository';
import { actorOf, type Principal } from '../auth/principal';
import { ProblemException } from '../common/problem';
import { CompanyRepository } from '../companies/company.repository';
import { ConversationRepository } from '../conversation/conversation.repository';
import { PrivacyRepository } from './privacy.repository';

export interface PrivacyExport {
  kind: 'chat-user' | 'company';
  subject: Record<string, string>;
  exportedAt: string;
  /** Rows per table, as stored. */
  data: Record<string, Array<Record<string, unknown>>>;
}

/**
 * Privacy procedures: extends the chat engine's "forget me" and the companies' hard delete to every table
 * (through the hooks their repositories offer), and exports everything held about a chat user or a company.
 * Exports are recorded in the audit log (who asked, about whom), never their content.
 */
@Injectable()
export class PrivacyService implements OnModuleInit {
  constructor(
    private readonly repository: PrivacyRepository,
    private readonly audit: AuditRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.optional(ConversationRepository)?.onForget((db, user) => this.repository.forgetChatUser(db, user));
    this.optional(CompanyRepository)?.onErase((db, companyId) => this.repository.eraseCompany(db, companyId));
  }

  async exportChatUser(channel: string, userId: string, actor: Principal): Promise<PrivacyExport> {
    const data = await this.repository.exportChatUser(channel, userId);
    if (!data) throw notFound('chat user', `${channel}/${userId}`);
    await this.audit.record(this.repository.queryable, [
      {
        entityType: 'chat_user',
        entityId: String(data.chat_users[0].id),
        action: 'export',
        actor: actorOf(actor),
      },
    ]);
    return {
      kind: 'chat-user',
      subject: { channel, userId },
      exportedAt: new Date().toISOString(),
      data,
    };
  }

  /** "Forget me" on the user's behalf (a request by e-mail or phone), recorded as done by this staff member. */
  async forgetChatUser(
    channel: 'line' | 'web',
    userId: string,
    actor: Principal,
  ): Promise<{ forgotten: true; messages: number; conversations: number }> {
    const conversations = this.optional(ConversationRepository);
    const result = conversations ? await conversations.forget(channel, userId) : undefined;
    if (!result) throw notFound('chat user', `${channel}/${userId}`);
    await this.audit.record(this.repository.queryable, [
      {
        entityType: 'chat_user',
        entityId: `${channel}/${userId}`,
        action: 'forget-requested',
        actor: actorOf(actor),
      },
    ]);
    return { forgotten: true, ...result };
  }

  async exportCompany(externalId: string, actor: Principal): Promise<PrivacyExport> {
    const data = await this.repository.exportCompany(externalId);
    if (!data) throw notFound('company', externalId);
    await this.audit.record(this.repository.queryable, [
      { entityType: 'company', entityId: externalId, action: 'export', actor: actorOf(actor) },
    ]);
    return { kind: 'company', subject: { externalId }, exportedAt: new Date().toISOString(), data };
  }

  private optional<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}

function notFound(what: string, id: string): ProblemException {
  return new ProblemException(404, 'not-found', 'Not found', `No ${what} ${id} is held.`);
}
