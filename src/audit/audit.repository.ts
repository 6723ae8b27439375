import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';

export interface AuditEntry {
  entityType:
    | 'company'
    | 'glossary'
    | 'staff'
    | 'api_token'
    | 'chat_user'
    | 'introduction'
    | 'room'
    | 'conversation'
    | 'registration';
  entityId: string;
  action: string;
  actor: string;
  changedFields?: string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'before' | 'after'>> {
  id: number;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Append-only record of who changed what. Callers never put private contact values or message bodies here. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async record(db: Queryable, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      entity_type: e.entityType,
      entity_id: e.entityId,
      action: e.action,
      actor: e.actor,
      changed_fields: e.changedFields ?? [],
      before: e.before ?? null,
      after: e.after ?? null,
    }));
    await db.query(
      `INSERT INTO audit_log (entity_type, entity_id, action, actor, changed_fields, before, after)
       SELECT x.entity_type, x.entity_id, x.action, x.actor,
         ARRAY(SELECT jsonb_array_elements_text(x.changed_fields)), x.before, x.after
       FROM jsonb_to_recordset($1::jsonb) AS x(entity_type text, entity_id text, action text, actor text,
         changed_fields jsonb, before jsonb, after jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  async history(entityType: AuditEntry['entityType'], entityId: string, limit = 200): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query<{
      id: string;
      entity_type: AuditEntry['entityType'];
      entity_id: string;
      action: string;
      actor: string;
      changed_fields: string[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      at: Date;
    }>(
      `SELECT id, entity_type, entity_id, action, actor, changed_fields, before, after, at
       FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3`,
      [entityType, entityId, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      entityType: r.entity_type,
      entityId: r.entity_id,
      action: r.action,
      actor: r.actor,
      changedFields: r.changed_fields,
      before: r.before,
      after: r.after,
      at: r.at.toISOString(),
    }));
  }
}
