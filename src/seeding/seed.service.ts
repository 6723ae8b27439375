import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { projectPath } from '../common/project-paths';
import { CompanyImportService, type ImportReport } from '../companies/company-import.service';
import { PG_POOL } from '../database/database.tokens';

/** Loads the fictional demo profiles in `seeds/companies/*.json` through the normal import path. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly importer: CompanyImportService,
  ) {}

  readSeedProfiles(dir = projectPath('seeds', 'companies')): unknown[] {
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown[]);
  }

  async seed(): Promise<ImportReport> {
    const report = await this.importer.import(
      { format: 'json', body: this.readSeedProfiles() },
      {
        dryRun: false,
        skipInvalid: false,
        actor: 'system:seed',
      },
    );
    await this.pool.query(
      `INSERT INTO app_state (key, value) VALUES ('seeded_at', to_jsonb(now()))
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    );
    return report;
  }

  /** Seeds once per database: deleting every profile later does not bring the demo data back. */
  async seedIfFirstStart(): Promise<void> {
    const { rows } = await this.pool.query("SELECT 1 FROM app_state WHERE key = 'seeded_at'");
    if (rows.length > 0) return;
    const report = await this.seed();
    this.logger.log({ msg: 'seed profiles loaded', created: report.created, updated: report.updated });
  }
}
