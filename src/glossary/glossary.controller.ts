import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import { type Principal, actorOf } from '../auth/principal';
import { ProblemException } from '../common/problem';
import { parseOrThrow } from '../common/zod-validation';
import { glossaryTermInputSchema } from './glossary.model';
import { GlossaryService } from './glossary.service';

const termJsonSchema = z.toJSONSchema(glossaryTermInputSchema, {
  unrepresentable: 'any',
  io: 'input',
}) as Record<string, unknown>;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const listQuery = z.strictObject({
  q: z.string().min(1).max(200).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(500).optional().default(50),
});
const importQuery = z.strictObject({ replace: flag, dryRun: flag });

function termId(id: string): string {
  if (!z.uuid().safeParse(id).success) {
    throw new ProblemException(404, 'not-found', 'Not found', `No glossary term with id "${id}".`);
  }
  return id;
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!m) {
    throw new ProblemException(
      400,
      'validation',
      'Invalid request',
      'If-Match must be an ETag returned by this API, such as "3".',
      {
        errors: [{ path: 'If-Match', message: 'expected a quoted version number' }],
      },
    );
  }
  return Number(m[1]);
}

/** Staff glossary: viewers read, curators write. Terms have ja/th/en forms and a do-not-translate flag. */
@ApiTags('glossary')
@Controller('api/glossary')
export class GlossaryController {
  constructor(private readonly glossary: GlossaryService) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({ summary: 'List glossary terms (q: part of any form), ordered by English form' })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–500, default 50' })
  async list(@Query() query: unknown) {
    const q = parseOrThrow(listQuery, query);
    const [result, snapshot] = await Promise.all([
      this.glossary.list(q.q, q.page, q.pageSize),
      this.glossary.snapshot(),
    ]);
    return { ...result, glossaryVersion: snapshot.version };
  }

  @Get('export')
  @Auth('viewer')
  @ApiOperation({ summary: 'Every term as a JSON array, re-importable as is' })
  async export(@Res({ passthrough: true }) res: Response) {
    res.setHeader('Content-Disposition', 'attachment; filename="glossary.json"');
    return this.glossary.exportAll();
  }

  @Post('import')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({
    summary: 'Import a JSON array of terms (merge by id or shared form; replace=true replaces the glossary)',
  })
  @ApiQuery({ name: 'replace', required: false, type: Boolean })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiBody({ schema: { type: 'array', items: termJsonSchema } })
  async import(@Query() query: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseOrThrow(importQuery, query);
    return this.glossary.import(body, { replace: q.replace, dryRun: q.dryRun }, actorOf(principal));
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOperation({ summary: 'One term. ETag = its version.' })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const term = await this.glossary.get(termId(id));
    res.setHeader('ETag', `"${term.version}"`);
    return term;
  }

  @Post()
  @Auth('curator')
  @ApiOperation({ summary: 'Create a term' })
  @ApiBody({ schema: termJsonSchema })
  async create(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const term = await this.glossary.create(body, actorOf(principal));
    res.status(201).setHeader('Location', `/api/glossary/${term.id}`);
    res.setHeader('ETag', `"${term.version}"`);
    return term;
  }

  @Put(':id')
  @Auth('curator')
  @ApiOperation({ summary: 'Replace a term. If-Match with the ETag you read; a stale one gets 412.' })
  @ApiBody({ schema: termJsonSchema })
  async replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const term = await this.glossary.update(termId(id), body, parseIfMatch(ifMatch), actorOf(principal));
    res.setHeader('ETag', `"${term.version}"`);
    return term;
  }

  @Delete(':id')
  @HttpCode(204)
  @Auth('curator')
  @ApiOperation({ summary: 'Delete a term' })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    await this.glossary.remove(termId(id), actorOf(principal));
  }
}
