import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ApiTokenRepository, hashToken } from './api-token.repository';
import type { Principal } from './principal';

/** Extra ways to authenticate (the console's session cookie registers one), tried after bearer tokens. */
export type Authenticator = (req: Request) => Promise<Principal | undefined>;

@Injectable()
export class AuthService {
  private readonly extra: Authenticator[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: ApiTokenRepository,
  ) {}

  registerAuthenticator(auth: Authenticator): void {
    this.extra.push(auth);
  }

  async authenticate(req: Request): Promise<Principal | undefined> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) return undefined;
      return this.fromBearer(match[1]);
    }
    for (const auth of this.extra) {
      const p = await auth(req);
      if (p) return p;
    }
    return undefined;
  }

  async fromBearer(token: string): Promise<Principal | undefined> {
    const admin = this.config.auth.adminApiToken;
    if (admin && constantTimeEqual(hashToken(token), hashToken(admin))) {
      return { kind: 'admin-env', id: 'ADMIN_API_TOKEN', name: 'ADMIN_API_TOKEN', role: 'admin' };
    }
    const row = await this.tokens.findActiveByToken(token);
    if (!row) return undefined;
    void this.tokens.touch(row.id).catch(() => undefined);
    return { kind: 'token', id: row.id, name: row.name, role: row.role };
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
