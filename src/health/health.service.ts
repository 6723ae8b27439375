import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import { migrationsUpToDate } from '../database/migrator';

export interface ReadinessCheck {
  status: 'ok' | 'degraded' | 'down';
  detail?: string;
}

/** Other modules (LLM, LINE) add checks; `degraded` is reported without failing readiness. */
export type ReadinessProbe = () => Promise<ReadinessCheck>;

@Injectable()
export class HealthService {
  private readonly probes = new Map<string, ReadinessProbe>();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  register(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
  }

  async readiness() {
    const checks: Record<string, ReadinessCheck> = {};
    try {
      await withTimeout(this.pool.query('SELECT 1'), 2000);
      checks.database = { status: 'ok' };
      checks.migrations = (await migrationsUpToDate(this.pool))
        ? { status: 'ok' }
        : { status: 'down', detail: 'migrations pending' };
    } catch (err) {
      checks.database = { status: 'down', detail: (err as Error).message };
    }
    for (const [name, probe] of this.probes) {
      checks[name] = await probe().catch((err: Error) => ({
        status: 'degraded' as const,
        detail: err.message,
      }));
    }
    const down = Object.values(checks).some((c) => c.status === 'down');
    return { status: down ? 'down' : 'ok', checks };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
