import { ApiTokenRepository } from '../src/auth/api-token.repository';
import { ROLES, type Role } from '../src/auth/principal';
import { loadConfig } from '../src/config/app-config';
import { loadDotEnv } from '../src/config/env-file';
import { migrate } from '../src/database/migrator';
import { openDatabase } from '../src/database/open-database';
import { fail, parseArgs } from './cli-args';

/** `npm run staff:token -- --name <who> --role <admin|curator|viewer|partner>`: prints a new token once. */
async function main() {
  loadDotEnv();
  const args = parseArgs();
  const name = typeof args.name === 'string' ? args.name.trim() : '';
  const role = args.role;
  if (!name) fail('Usage: npm run staff:token -- --name <who> --role <admin|curator|viewer|partner>');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    fail(`--role must be one of ${ROLES.join(', ')}`);
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await migrate(db.pool);
    const { token } = await new ApiTokenRepository(db.pool).create(name, role as Role);
    process.stdout.write(`Token for ${name} (${role}). It is shown only now; store it safely:\n${token}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
