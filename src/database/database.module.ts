import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_KIND, PG_POOL } from './database.tokens';
import type { Database } from './open-database';

/** Makes the already-opened, already-migrated pool injectable everywhere as PG_POOL, and its kind as DATABASE_KIND. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PG_POOL, useValue: database.pool },
        { provide: DATABASE_KIND, useValue: database.kind },
      ],
      exports: [PG_POOL, DATABASE_KIND],
    };
  }
}
