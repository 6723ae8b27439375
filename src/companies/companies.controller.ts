import { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import { type Principal, actorOf } from '../auth/principal';
import { ProblemException } from '../common/problem';
import { parseOrThrow } from '../common/zod-validation';
import { COUNTRIES, STATUSES, companyProfileSchema } from './company-profile.schema';
import { CompanyImportService } from './company-import.service';
import { CompaniesService, type CompanyView } from './companies.service';

const profileJsonSchema = z.toJSONSchema(companyProfileSchema, { unrepresentable: 'any' }) as Record<
  string,
  unknown
>;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const listQuery = z.strictObject({
  country: z.enum(COUNTRIES).optional(),
  status: z.enum(STATUSES).optional(),
  industry: z.string().min(1).max(200).optional(),
  q: z.string().min(1).max(200).optional(),
  pendingReview: flag,
  missingLang: z.enum(['ja', 'th', 'en']).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(20),
});

const importQuery = z.strictObject({
  dryRun: flag,
  skipInvalid: flag,
  format: z.enum(['json', 'csv']).optional(),
});
const exportQuery = z.strictObject({ format: z.enum(['json', 'csv']).optional().default('json') });
const deleteQuery = z.strictObject({ hard: flag });

/** `If-Match: "3"` (or W/"3") → 3; absent → undefined; anything else is a 400. */
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

function send(res: Response, view: CompanyView, status = 200) {
  res.status(status).setHeader('ETag', `"${view.meta.version}"`);
  return { ...view.profile, ...view.meta };
}

@ApiTags('companies')
@Controller('api/companies')
export class CompaniesController {
  constructor(
    private readonly companies: CompaniesService,
    private readonly importer: CompanyImportService,
  ) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({
    summary: 'List profiles: filtered, paginated, ordered by externalId. Never includes contacts.',
  })
  @ApiQuery({ name: 'country', required: false, enum: COUNTRIES })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({
    name: 'industry',
    required: false,
    description: 'industry code, SCHEME:CODE or a label in any language',
  })
  @ApiQuery({ name: 'q', required: false, description: 'part of a name (any language) or externalId' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–200, default 20' })
  async list(@Query() query: unknown) {
    const q = parseOrThrow(listQuery, query);
    const result = await this.companies.list(q, q.page, q.pageSize);
    return { ...result, items: result.items.map((v) => ({ ...v.profile, ...v.meta })) };
  }

  @Get('export')
  @Auth('curator')
  @ApiOperation({
    summary: 'Export every profile (JSON array or CSV), contacts included; re-importable as is.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async export(@Query() query: unknown, @Res() res: Response) {
    const { format } = parseOrThrow(exportQuery, query);
    res.status(200);
    res.setHeader(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    );
    res.setHeader('Content-Disposition', `attachment; filename="companies.${format}"`);
    Readable.from(format === 'csv' ? this.importer.exportCsv() : this.importer.exportJson()).pipe(res);
  }

  @Post('import')
  @HttpCode(200)
  @Auth('curator')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 64 * 1024 * 1024, files: 1 } }))
  @ApiOperation({
    summary: 'Import (upsert on externalId) a JSON array of profiles or a CSV file',
    description:
      'JSON body, `text/csv` body, or multipart/form-data with a `file` field. A batch with any invalid row writes ' +
      'nothing (422 listing every rejected row) unless `skipInvalid=true`; `dryRun=true` validates without writing.',
  })
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiQuery({ name: 'skipInvalid', required: false, type: Boolean })
  @ApiBody({ schema: { type: 'array', items: profileJsonSchema } })
  async import(
    @Query() query: unknown,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @UploadedFile() file?: UploadedCsvOrJson,
  ) {
    const q = parseOrThrow(importQuery, query);
    const isCsv =
      file !== undefined
        ? !/\.json$/i.test(file.originalname)
        : req.is('text/csv') !== false || q.format === 'csv';
    const input = file
      ? isCsv
        ? { format: 'csv' as const, text: file.buffer.toString('utf8') }
        : { format: 'json' as const, body: parseJsonUpload(file.buffer) }
      : isCsv
        ? { format: 'csv' as const, text: typeof body === 'string' ? body : '' }
        : { format: 'json' as const, body };
    const report = await this.importer.import(input, {
      dryRun: q.dryRun,
      skipInvalid: q.skipInvalid,
      actor: actorOf(principal),
    });
    if (report.rejected.length > 0 && !q.skipInvalid && !q.dryRun) {
      throw new ProblemException(
        422,
        'import-rejected',
        'Import rejected',
        `${report.rejected.length} of ${report.total} rows are invalid, so nothing was imported. Fix them, or retry with skipInvalid=true to import the ${report.valid} valid rows.`,
        {
          errors: report.rejected.flatMap((r) =>
            r.errors.map((e) => ({ path: `[${r.row}].${e.path}`, message: e.message })),
          ),
          report,
        },
      );
    }
    return report;
  }

  @Post()
  @Auth('curator')
  @ApiOperation({ summary: 'Create a profile' })
  @ApiBody({ schema: profileJsonSchema })
  async create(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.companies.create(body, principal);
    res.setHeader('Location', `/api/companies/${encodeURIComponent(view.profile.externalId)}`);
    return send(res, view, 201);
  }

  @Get(':externalId')
  @Auth('viewer')
  @ApiOperation({ summary: 'One profile; `contact` only for curators and admins. ETag = version.' })
  async get(
    @Param('externalId') externalId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.companies.get(externalId, principal));
  }

  @Get(':externalId/history')
  @Auth('viewer')
  @ApiOperation({
    summary: 'Audit history of a profile: who, when, which fields, before/after (newest first)',
  })
  async history(@Param('externalId') externalId: string) {
    return { items: await this.companies.history(externalId) };
  }

  @Put(':externalId')
  @Auth('curator')
  @ApiOperation({ summary: 'Replace a profile. Send If-Match with the ETag you read; a stale one gets 412.' })
  @ApiBody({ schema: profileJsonSchema })
  async replace(
    @Param('externalId') externalId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.companies.replace(externalId, body, parseIfMatch(ifMatch), principal));
  }

  @Patch(':externalId')
  @Auth('curator')
  @ApiOperation({
    summary: 'JSON Merge Patch (RFC 7396) of a profile; null removes a field. If-Match as for PUT.',
  })
  @ApiConsumes('application/merge-patch+json', 'application/json')
  async patch(
    @Param('externalId') externalId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.companies.patch(externalId, body, parseIfMatch(ifMatch), principal));
  }

  @Delete(':externalId')
  @Auth('curator')
  @ApiOperation({
    summary: 'Archive a profile; `hard=true` (admins) erases it with its contacts and derived data.',
  })
  @ApiQuery({ name: 'hard', required: false, type: Boolean })
  async remove(
    @Param('externalId') externalId: string,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { hard } = parseOrThrow(deleteQuery, query);
    const view = await this.companies.remove(externalId, hard, parseIfMatch(ifMatch), principal);
    if (!view) {
      res.status(204);
      return;
    }
    return send(res, view);
  }
}

function parseJsonUpload(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString('utf8')) as unknown;
  } catch {
    throw new ProblemException(400, 'malformed-json', 'Bad request', 'The uploaded file is not valid JSON.');
  }
}

/** The part of multer's file object we use (multipart upload of the import file). */
interface UploadedCsvOrJson {
  originalname: string;
  buffer: Buffer;
}
