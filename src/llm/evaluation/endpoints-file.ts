import * as fs from 'node:fs';
import { z } from 'zod';
import type { AppConfig } from '../../config/app-config';

/** One candidate model: an OpenAI-compatible endpoint, as a deployer would configure it in LLM_*. */
export interface CandidateEndpoint {
  /** A short label for tables (defaults to the model name). */
  name: string;
  baseUrl: string;
  model: string;
  apiKey?: string;
  extraBody?: Record<string, unknown>;
}

/** The endpoints file could not be used: the command says why and exits with code 2. */
export class EndpointsFileError extends Error {
  override readonly name = 'EndpointsFileError';
}

const endpointSchema = z
  .object({
    name: z.string().min(1).max(60).optional(),
    baseUrl: z.url(),
    model: z.string().min(1),
    apiKey: z.string().optional(),
    /** The name of an environment variable holding the key, so keys stay out of the file. */
    apiKeyEnv: z.string().min(1).optional(),
    extraBody: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const listSchema = z.array(endpointSchema).min(1);

/**
 * `[{ "name": "typhoon", "baseUrl": "https://api.opentyphoon.ai/v1", "model": "…", "apiKeyEnv": "TYPHOON_KEY" }, …]`
 * (or `{ "endpoints": [ … ] }`). Names must differ.
 */
export function parseEndpoints(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): CandidateEndpoint[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EndpointsFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  // Either form is read as the list, so a problem is reported at its own place (`0.baseUrl`).
  const listed =
    json && typeof json === 'object' && !Array.isArray(json) && 'endpoints' in json ? json.endpoints : json;
  const parsed = listSchema.safeParse(listed);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new EndpointsFileError(
      `${file}: expected an array of {name?, baseUrl, model, apiKey? | apiKeyEnv?, extraBody?}:\n  ${problems.join('\n  ')}`,
    );
  }
  const out = parsed.data.map((e, i) => {
    if (e.apiKey && e.apiKeyEnv)
      throw new EndpointsFileError(`${file}: endpoint ${i + 1} has both apiKey and apiKeyEnv`);
    const apiKey = e.apiKeyEnv ? env[e.apiKeyEnv] : e.apiKey;
    if (e.apiKeyEnv && !apiKey)
      throw new EndpointsFileError(
        `${file}: endpoint ${i + 1}: environment variable ${e.apiKeyEnv} is not set`,
      );
    return { name: e.name ?? e.model, baseUrl: e.baseUrl, model: e.model, apiKey, extraBody: e.extraBody };
  });
  const seen = new Set<string>();
  for (const e of out) {
    if (seen.has(e.name))
      throw new EndpointsFileError(`${file}: two endpoints are named "${e.name}": give them different names`);
    seen.add(e.name);
  }
  return out;
}

export function readEndpointsFile(
  file: string,
  env: Record<string, string | undefined>,
): CandidateEndpoint[] {
  if (!fs.existsSync(file)) throw new EndpointsFileError(`${file}: no such file`);
  return parseEndpoints(fs.readFileSync(file, 'utf8'), file, env);
}

/** Without a file: every distinct endpoint of the current configuration (LLM_*, LLM_TH_*, LLM_JA_*), each alone. */
export function endpointsFromConfig(config: AppConfig): CandidateEndpoint[] {
  const found = new Map<string, CandidateEndpoint>();
  const add = (label: string, e: AppConfig['llm']['default']) => {
    if (!e) return;
    const key = `${e.baseUrl} ${e.model}`;
    const existing = found.get(key);
    if (existing) existing.name = `${existing.name}+${label}`;
    else
      found.set(key, {
        name: label,
        baseUrl: e.baseUrl,
        model: e.model,
        apiKey: e.apiKey,
        extraBody: e.extraBody,
      });
  };
  add('LLM', config.llm.default);
  add('LLM_TH', config.llm.byOutputLang.th);
  add('LLM_JA', config.llm.byOutputLang.ja);
  return [...found.values()];
}
