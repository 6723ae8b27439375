import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { projectPath } from '../../common/project-paths';
import { toFieldErrors } from '../../common/zod-validation';
import { type Concept, conceptSchema } from './concept';
import { Lexicon } from './lexicon';
import { LexiconRepository } from './lexicon.repository';

/** Reads the shipped lexicon (seeds/lexicon/*.json), checks it, and loads it into the database at start. */
export function readSeedLexicon(dir = projectPath('seeds', 'lexicon')): Concept[] {
  if (!fs.existsSync(dir)) return [];
  const problems: string[] = [];
  const concepts: Concept[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const items = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown[];
    items.forEach((item, i) => {
      const parsed = conceptSchema.safeParse(item);
      if (parsed.success) concepts.push(parsed.data);
      else
        for (const e of toFieldErrors(parsed.error)) problems.push(`${file}[${i}].${e.path}: ${e.message}`);
    });
  }
  const ids = new Set<string>();
  for (const c of concepts) {
    if (ids.has(c.id)) problems.push(`duplicate concept id ${c.id}`);
    ids.add(c.id);
  }
  for (const c of concepts) {
    for (const p of c.parents ?? []) if (!ids.has(p)) problems.push(`${c.id}: unknown parent ${p}`);
  }
  if (problems.length > 0)
    throw new Error(`The lexicon in ${dir} is invalid:\n  ${problems.slice(0, 50).join('\n  ')}`);
  return concepts;
}

@Injectable()
export class LexiconService implements OnModuleInit {
  private readonly logger = new Logger(LexiconService.name);
  private lexicon = new Lexicon([]);

  constructor(private readonly repository: LexiconRepository) {}

  async onModuleInit(): Promise<void> {
    await this.repository.syncSeed(readSeedLexicon());
    await this.reload();
    this.logger.log({ msg: 'lexicon loaded', concepts: this.lexicon.size, version: this.lexicon.version });
  }

  async reload(): Promise<Lexicon> {
    this.lexicon = new Lexicon(await this.repository.all());
    return this.lexicon;
  }

  current(): Lexicon {
    return this.lexicon;
  }
}
