import 'reflect-metadata';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { openTestDatabase } from './test-database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The app's configuration for tests (random loopback port, quiet logs, a known admin token), with `env` over it. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    // The model's background reading of profiles and requests adds calls a fake LLM would have to answer: the
    // specs of those features turn them on.
    LLM_ENRICH_PROFILES: 'false',
    LLM_CLASSIFY_REQUESTS: 'false',
    // Every test visitor opens its session from loopback, and a suite opens more than one office would in a
    // minute: the security drill (test/resilience) runs with the product's own limit.
    WEB_CHAT_SESSION_BURST: '1000',
    ...env,
  });
}

/**
 * Boots the real app on a random loopback port with an in-memory embedded database, the way `npm start` does,
 * with test-friendly configuration that each test may override.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { seed?: boolean } = {},
): Promise<RunningApp> {
  const config = testConfig(env);
  const database = await openTestDatabase();
  return startApp(config, { database, seed: options.seed ?? false });
}

export const adminAuth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
