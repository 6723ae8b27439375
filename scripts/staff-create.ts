import { AuditRepository } from '../src/audit/audit.repository';
import { ApiTokenRepository } from '../src/auth/api-token.repository';
import { ProblemException } from '../src/common/problem';
import { loadConfig } from '../src/config/app-config';
import { STAFF_ROLES, type StaffRole } from '../src/console/console.types';
import { MIN_PASSWORD_LENGTH } from '../src/console/password-hasher';
import { passwordWeakness } from '../src/console/password-policy';
import { StaffAdminService } from '../src/console/staff-admin.service';
import { StaffSessionRepository } from '../src/console/staff-session.repository';
import { StaffRepository } from '../src/console/staff.repository';
import { migrate } from '../src/database/migrator';
import { openDatabase } from '../src/database/open-database';
import { fail, parseArgs } from './cli-args';

const USAGE =
  'Usage: npm run staff:create -- --email <address> --role <admin|curator|viewer> [--name <display name>]\n' +
  '       [--password <pw>]  (or KAKEHASHI_STAFF_PASSWORD; otherwise it is asked for, without echo)';

/** Creates a console account; the first admin is made this way, later ones in the console itself. */
async function main() {
  const args = parseArgs();
  const email = typeof args.email === 'string' ? args.email.trim() : '';
  const role = args.role;
  if (!email || !email.includes('@')) fail(USAGE);
  if (typeof role !== 'string' || !(STAFF_ROLES as readonly string[]).includes(role))
    fail(`--role must be one of ${STAFF_ROLES.join(', ')}\n${USAGE}`);
  // The database first: when the running app holds it, say so before asking for a password.
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const password =
      typeof args.password === 'string'
        ? args.password
        : (process.env.KAKEHASHI_STAFF_PASSWORD ?? (await askHidden(`Password for ${email}: `)));
    const weakness =
      password.length < MIN_PASSWORD_LENGTH
        ? `must be at least ${MIN_PASSWORD_LENGTH} characters`
        : passwordWeakness(password);
    if (weakness) {
      await db.close();
      fail(`The password ${weakness}.`);
    }
    await migrate(db.pool);
    const service = new StaffAdminService(
      db.pool,
      new StaffRepository(db.pool),
      new StaffSessionRepository(db.pool),
      new ApiTokenRepository(db.pool),
      new AuditRepository(db.pool),
    );
    const account = await service.createStaff(
      {
        email,
        displayName: typeof args.name === 'string' ? args.name : '',
        role: role as StaffRole,
        password,
      },
      'cli:staff-create',
    );
    process.stdout.write(`Created ${account.role} ${account.email}. Sign in at /console.\n`);
  } finally {
    await db.close();
  }
}

/** Reads a line from the terminal without echoing it (or a plain line when stdin is a pipe). */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    let value = '';
    if (!stdin.isTTY) {
      stdin.setEncoding('utf8');
      stdin.on('data', (chunk: string) => (value += chunk));
      stdin.on('end', () => resolve(value.split(/\r?\n/)[0] ?? ''));
      return;
    }
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

main().catch((err: Error) => {
  // API errors (e.g. the address already has an account) carry their explanation in the problem detail.
  const detail = err instanceof ProblemException ? err.problem.detail : undefined;
  process.stderr.write(`${detail ?? err.message}\n`);
  process.exit(1);
});
