import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PG_POOL } from './database.tokens';
import type { Database } from './open-database';

/** Makes the already-opened, already-migrated pool injectable everywhere as PG_POOL. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: PG_POOL, useValue: database.pool }],
      exports: [PG_POOL],
    };
  }
}
