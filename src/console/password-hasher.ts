import { hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords are hashed with argon2id, the memory-hard function OWASP recommends, at its baseline
 * parameters (19 MiB, 2 passes, 1 lane): about 30 ms here, slow enough to make offline guessing expensive and
 * fast enough that sign-in never feels slow. The parameters are stored inside each hash, so raising them
 * later still verifies old hashes.
 */
// Algorithm.Argon2id; the package exports it as a const enum, which isolated-module builds cannot read.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/**
 * Verifying against this when the e-mail is unknown or the account disabled makes every failed sign-in cost
 * the same time, so response times do not reveal which addresses have accounts.
 */
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('kakehashi-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}
