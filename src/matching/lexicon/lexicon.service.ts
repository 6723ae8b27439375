import * as fs from 'node:fs';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { projectPath } from '../../common/project-paths';
import { readSeedItems } from '../../common/seed-files';
import { type BusinessTaxonomy, readSeedTaxonomy } from '../taxonomy/business-taxonomy';
import { type Concept, conceptSchema } from './concept';
import { Lexicon } from './lexicon';
import { LexiconRepository } from './lexicon.repository';

/** Reads the shipped lexicon (seeds/lexicon/*.json), checks it, and loads it into the database at start. */
export function readSeedLexicon(dir = projectPath('seeds', 'lexicon')): Concept[] {
  if (!fs.existsSync(dir)) return [];
  const { items: concepts, problems } = readSeedItems(dir, conceptSchema);
  const ids = new Set<string>();
  for (const c of concepts) {
    if (ids.has(c.id)) problems.push(`duplicate concept id ${c.id}`);
    ids.add(c.id);
  }
  for (const c of concepts) {
    for (const p of c.parents ?? []) if (!ids.has(p)) problems.push(`${c.id}: unknown parent ${p}`);
    if (c.parts && !ids.has(c.parts)) problems.push(`${c.id}: unknown parts concept ${c.parts}`);
  }
  if (problems.length > 0)
    throw new Error(`The lexicon in ${dir} is invalid:\n  ${problems.slice(0, 50).join('\n  ')}`);
  return concepts;
}

/** Business codes the concepts name that the taxonomy does not hold: each is a problem. */
export function unknownBusinessCodes(concepts: readonly Concept[], taxonomy: BusinessTaxonomy): string[] {
  const problems: string[] = [];
  for (const c of concepts) {
    for (const [activity, value] of Object.entries(c.business ?? {})) {
      for (const code of Array.isArray(value) ? value : [value]) {
        if (!taxonomy.has(code))
          problems.push(`${c.id}: business.${activity} ${code} is not in the taxonomy`);
      }
    }
  }
  return problems;
}

@Injectable()
export class LexiconService implements OnModuleInit {
  private readonly logger = new Logger(LexiconService.name);
  private readonly taxonomy = readSeedTaxonomy();
  private lexicon = new Lexicon([], this.taxonomy);

  constructor(private readonly repository: LexiconRepository) {}

  async onModuleInit(): Promise<void> {
    const seed = readSeedLexicon();
    const problems = unknownBusinessCodes(seed, this.taxonomy);
    if (problems.length > 0)
      throw new Error(`The lexicon names unknown business codes:\n  ${problems.slice(0, 50).join('\n  ')}`);
    await this.repository.syncSeed(seed);
    await this.reload();
    this.logger.log({
      msg: 'lexicon loaded',
      concepts: this.lexicon.size,
      businessCodes: this.taxonomy.size,
      version: this.lexicon.version,
    });
  }

  async reload(): Promise<Lexicon> {
    this.lexicon = new Lexicon(await this.repository.all(), this.taxonomy);
    return this.lexicon;
  }

  current(): Lexicon {
    return this.lexicon;
  }
}
