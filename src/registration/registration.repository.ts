import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import type { Channel } from '../conversation/conversation.types';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { RegistrationAnswers } from './registration-interview';
import type { InterviewStep } from './registration-texts';

export const REGISTRATION_STATUSES = [
  'drafting',
  'submitted',
  'question',
  'approved',
  'rejected',
  'cancelled',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export type RegistrationStep = InterviewStep | 'review';

export interface TranscriptEntry {
  at: string;
  /** Who wrote it: the bot's question, the firm's answer, or a staff question. */
  by: 'bot' | 'firm' | 'staff';
  text: string;
  step?: RegistrationStep;
}

export type RegistrationKind = 'new' | 'change';

export interface Registration {
  id: string;
  kind: RegistrationKind;
  chatUserId: string;
  channel: Channel;
  address: string;
  lang: Lang;
  status: RegistrationStatus;
  step: RegistrationStep | null;
  trail: RegistrationStep[];
  answers: RegistrationAnswers;
  transcript: TranscriptEntry[];
  network: string | null;
  staffQuestion: string | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  submittedAt: string | null;
  companyExternalId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  kind: RegistrationKind;
  chat_user_id: string;
  channel: Channel;
  address: string;
  lang: Lang;
  status: RegistrationStatus;
  step: RegistrationStep | null;
  trail: RegistrationStep[];
  answers: RegistrationAnswers;
  transcript: TranscriptEntry[];
  network: string | null;
  staff_question: string | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  submitted_at: Date | null;
  company_external_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const toRegistration = (r: Row): Registration => ({
  id: r.id,
  kind: r.kind,
  chatUserId: r.chat_user_id,
  channel: r.channel,
  address: r.address,
  lang: r.lang,
  status: r.status,
  step: r.step,
  trail: r.trail ?? [],
  answers: r.answers ?? {},
  transcript: r.transcript ?? [],
  network: r.network,
  staffQuestion: r.staff_question,
  decisionReason: r.decision_reason,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  submittedAt: r.submitted_at?.toISOString() ?? null,
  companyExternalId: r.company_external_id,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** What changes in one step of the interview or the review. */
export interface RegistrationUpdate {
  status?: RegistrationStatus;
  step?: RegistrationStep | null;
  trail?: RegistrationStep[];
  answers?: RegistrationAnswers;
  lang?: Lang;
  /** Appended to the transcript. */
  said?: TranscriptEntry[];
  staffQuestion?: string | null;
  decisionReason?: string | null;
  decidedBy?: string;
  submitted?: boolean;
  companyExternalId?: string;
}

/** A profile that may be the same firm as a registration: why staff should look. */
export interface DuplicateCandidate {
  externalId: string;
  names: Record<string, string>;
  status: string;
  matchedOn: Array<'name' | 'website' | 'phone' | 'email'>;
}

/** company_registrations: the interview's draft and the staff review. */
@Injectable()
export class RegistrationRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The chat user's registration still in the works (drafting, with staff, or asked a question), if any. */
  async open(chatUserId: string, db: Queryable = this.pool): Promise<Registration | undefined> {
    const { rows } = await db.query<Row>(
      `SELECT * FROM company_registrations
       WHERE chat_user_id = $1 AND status IN ('drafting', 'submitted', 'question')`,
      [chatUserId],
    );
    return rows[0] ? toRegistration(rows[0]) : undefined;
  }

  /**
   * The registration that takes this thread's next message: an interview under way, or a staff question waiting
   * for its answer. One indexed lookup per message the bot reads.
   */
  async activeInThread(channel: Channel, address: string): Promise<Registration | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM company_registrations
       WHERE channel = $1 AND address = $2
         AND ((status = 'drafting' AND step IS NOT NULL) OR status = 'question')
       LIMIT 1`,
      [channel, address],
    );
    return rows[0] ? toRegistration(rows[0]) : undefined;
  }

  async get(id: string, db: Queryable = this.pool, lock = false): Promise<Registration | undefined> {
    const { rows } = await db.query<Row>(
      `SELECT * FROM company_registrations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toRegistration(rows[0]) : undefined;
  }

  /** A new draft; undefined when the user already has an open one (a concurrent start). */
  async create(
    r: {
      chatUserId: string;
      channel: Channel;
      address: string;
      lang: Lang;
      network?: string;
      kind?: RegistrationKind;
      companyExternalId?: string;
      answers?: RegistrationAnswers;
    },
    step: RegistrationStep,
  ): Promise<Registration | undefined> {
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO company_registrations (chat_user_id, channel, address, lang, network, step, kind,
         company_external_id, answers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
       ON CONFLICT (chat_user_id) WHERE status IN ('drafting', 'submitted', 'question') DO NOTHING
       RETURNING *`,
      [
        r.chatUserId,
        r.channel,
        r.address,
        r.lang,
        r.network ?? null,
        step,
        r.kind ?? 'new',
        r.companyExternalId ?? null,
        JSON.stringify(r.answers ?? {}),
      ],
    );
    return rows[0] ? toRegistration(rows[0]) : undefined;
  }

  async update(db: Queryable, id: string, u: RegistrationUpdate): Promise<Registration> {
    const { rows } = await db.query<Row>(
      `UPDATE company_registrations SET
         status = COALESCE($2, status),
         step = CASE WHEN $3::boolean THEN $4 ELSE step END,
         trail = COALESCE($5::jsonb, trail),
         answers = COALESCE($6::jsonb, answers),
         lang = COALESCE($7, lang),
         transcript = transcript || $8::jsonb,
         staff_question = CASE WHEN $9::boolean THEN $10 ELSE staff_question END,
         decision_reason = CASE WHEN $11::boolean THEN $12 ELSE decision_reason END,
         decided_by = COALESCE($13, decided_by),
         decided_at = CASE WHEN $13::text IS NULL THEN decided_at ELSE now() END,
         submitted_at = CASE WHEN $14::boolean THEN now() ELSE submitted_at END,
         company_external_id = COALESCE($15, company_external_id),
         updated_at = now()
       WHERE id = $1
       RETURNING *`,
      [
        id,
        u.status ?? null,
        u.step !== undefined,
        u.step ?? null,
        u.trail ? JSON.stringify(u.trail) : null,
        u.answers ? JSON.stringify(u.answers) : null,
        u.lang ?? null,
        JSON.stringify(u.said ?? []),
        u.staffQuestion !== undefined,
        u.staffQuestion ?? null,
        u.decisionReason !== undefined,
        u.decisionReason ?? null,
        u.decidedBy ?? null,
        u.submitted === true,
        u.companyExternalId ?? null,
      ],
    );
    return toRegistration(rows[0]);
  }

  /** A cancelled draft is deleted with what it held (contact included): nothing of it is kept. */
  async delete(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM company_registrations WHERE id = $1`, [id]);
  }

  /** Registrations submitted in the last 24 hours by this chat user, or from this network. */
  async submittedInLastDay(who: { chatUserId: string; network?: string }): Promise<{
    byUser: number;
    byNetwork: number;
  }> {
    const { rows } = await this.pool.query<{ by_user: number; by_network: number }>(
      `SELECT count(*) FILTER (WHERE chat_user_id = $1)::int AS by_user,
              count(*) FILTER (WHERE $2::text IS NOT NULL AND network = $2)::int AS by_network
       FROM company_registrations
       WHERE submitted_at > now() - interval '24 hours' AND (chat_user_id = $1 OR network = $2)`,
      [who.chatUserId, who.network ?? null],
    );
    return { byUser: rows[0]?.by_user ?? 0, byNetwork: rows[0]?.by_network ?? 0 };
  }

  async list(q: {
    status?: RegistrationStatus;
    page: number;
    pageSize: number;
  }): Promise<{ items: Registration[]; total: number }> {
    // Without a status: everything sent to staff (not drafts being written, nor cancelled ones).
    const { rows } = await this.pool.query<Row & { total: number }>(
      `SELECT *, count(*) OVER ()::int AS total FROM company_registrations
       WHERE CASE WHEN $1::text IS NULL THEN status NOT IN ('drafting', 'cancelled') ELSE status = $1 END
       ORDER BY (status IN ('submitted', 'question')) DESC, submitted_at ASC NULLS LAST, created_at DESC
       LIMIT $2 OFFSET $3`,
      [q.status ?? null, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map(toRegistration), total: rows[0]?.total ?? 0 };
  }

  async counts(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM company_registrations GROUP BY status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** A one-time invitation code for a colleague, valid for `days`. */
  async createInvite(companyExternalId: string, by: string, days: number): Promise<string> {
    for (;;) {
      const code = `KH-${randomCode(4)}-${randomCode(4)}`;
      const { rowCount } = await this.pool.query(
        `INSERT INTO company_invites (code, company_external_id, created_by, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(days => $4)) ON CONFLICT (code) DO NOTHING`,
        [code, companyExternalId, by, days],
      );
      if (rowCount) return code;
    }
  }

  /** Takes an unused, unexpired invitation for `chatUserId`: the company it links to, or undefined. */
  async takeInvite(db: Queryable, code: string, chatUserId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ company_external_id: string }>(
      `UPDATE company_invites SET used_at = now(), used_by = $2
       WHERE code = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING company_external_id`,
      [code, chatUserId],
    );
    return rows[0]?.company_external_id;
  }

  /**
   * Profiles that may be this firm: the same name in any language (compared without case, spaces, punctuation
   * and legal-form words), the same website host, or the same phone number or e-mail address.
   */
  async duplicates(r: Registration): Promise<DuplicateCandidate[]> {
    const name = (r.answers.name && nameKey(r.answers.name)) || null;
    const host = r.answers.website ? hostOf(r.answers.website) : null;
    const phone = r.answers.contact?.phone?.replace(/\D/g, '').slice(-9) || null;
    const email = r.answers.contact?.email?.toLowerCase() ?? null;
    if (!name && !host && !phone && !email) return [];
    const { rows } = await this.pool.query<{
      external_id: string;
      names: Record<string, string>;
      status: string;
      website: string | null;
      phone: string | null;
      email: string | null;
    }>(
      // A sequential scan over the profiles: run when staff open one registration, not on any hot path.
      `SELECT c.external_id, c.names, c.status, c.website, cc.phone, cc.email
       FROM companies c LEFT JOIN company_contacts cc ON cc.company_id = c.id
       WHERE (($1::text IS NOT NULL AND EXISTS (
               SELECT 1 FROM jsonb_each_text(c.names) n
               WHERE regexp_replace(regexp_replace(regexp_replace(lower(normalize(n.value, NFKC)),
                       $5, '', 'g'), $6, '', 'g'), $7, '') = $1))
          OR ($2::text IS NOT NULL AND lower(c.website) ~ ('^https?://(www\\.)?' || $2 || '(:|/|$)'))
          OR ($3::text IS NOT NULL AND right(regexp_replace(cc.phone, '[^0-9]', '', 'g'), 9) = $3)
          OR ($4::text IS NOT NULL AND lower(cc.email) = $4))
         -- Not the profile this registration published.
         AND c.external_id IS DISTINCT FROM $8
       LIMIT 20`,
      [
        name,
        host ? escapeRegex(host) : null,
        phone,
        email,
        LEGAL_FORMS.source,
        NAME_PUNCTUATION.source,
        LATIN_SUFFIXES.source,
        r.companyExternalId,
      ],
    );
    return rows.map((row) => ({
      externalId: row.external_id,
      names: row.names,
      status: row.status,
      matchedOn: [
        ...(name && Object.values(row.names).some((n) => nameKey(n) === name) ? (['name'] as const) : []),
        ...(host && row.website && hostOf(row.website) === host ? (['website'] as const) : []),
        ...(phone && row.phone && row.phone.replace(/\D/g, '').slice(-9) === phone
          ? (['phone'] as const)
          : []),
        ...(email && row.email?.toLowerCase() === email ? (['email'] as const) : []),
      ],
    }));
  }
}

/**
 * What a company name is compared by: NFKC, lower case, without the legal-form words firms add or drop
 * ("株式会社", "บริษัท … จำกัด", a trailing "Co., Ltd."), spaces and punctuation. The same three patterns run in
 * SQL (written so that JavaScript and PostgreSQL read them alike: no \\b, no locale classes).
 */
// Written as NFKC has them: NFKC splits Thai SARA AM (จำกัด), so the pattern is normalised too.
const LEGAL_FORMS = new RegExp(
  ['株式会社', '有限会社', '合同会社', '\\(株\\)', 'บริษัท', 'จำกัด', 'มหาชน']
    .map((w) => w.normalize('NFKC'))
    .join('|'),
  'g',
);
const NAME_PUNCTUATION = /[ \t\n.,()「」『』・'"&/_-]/g;
const LATIN_SUFFIXES = /(company|limited|ltd|corporation|corp|co|inc|public|pcl)+$/;

export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(LEGAL_FORMS, '')
    .replace(NAME_PUNCTUATION, '')
    .replace(LATIN_SUFFIXES, '');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomCode(length: number): string {
  return Array.from({ length }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** "KH-7QX4-M2PA" in a message (any case, full-width forms), upper-cased. */
export function companyInviteIn(text: string): string | undefined {
  const m = /\bKH-([A-Z0-9]{4})-([A-Z0-9]{4})\b/i.exec(text.normalize('NFKC'));
  return m ? `KH-${m[1]}-${m[2]}`.toUpperCase() : undefined;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
