import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../../auth/auth.guard';
import { type Principal, actorOf } from '../../auth/principal';
import { parseOrThrow } from '../../common/zod-validation';
import { EnrichmentService } from './enrichment.service';

const words = z.array(z.string().min(1).max(60)).max(20);
const enrichmentBody = z.strictObject({
  businesses: z
    .array(
      z.strictObject({
        code: z.string().regex(/^([A-U]|\d{2,5})$/, 'must be a TSIC code'),
        confidence: z.number().min(0).max(1).optional(),
      }),
    )
    .max(5),
  keywords: z.strictObject({ ja: words.optional(), th: words.optional(), en: words.optional() }).default({}),
});

@ApiTags('companies')
@Controller('api/companies/:externalId/enrichment')
export class EnrichmentController {
  constructor(private readonly enrichment: EnrichmentService) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({
    summary: "The model's reading of a profile: kinds of business (TSIC codes) and ja/th/en search keywords",
    description:
      'null when the profile has none (no LLM configured, or not read yet). `source` says whether staff corrected it.',
  })
  async get(@Param('externalId') externalId: string) {
    return { enrichment: await this.enrichment.get(externalId) };
  }

  @Put()
  @Auth('curator')
  @ApiOperation({ summary: "Correct the model's reading (kept when the profile changes, until reset)" })
  @ApiBody({ schema: z.toJSONSchema(enrichmentBody) as Record<string, unknown> })
  async save(
    @Param('externalId') externalId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const input = parseOrThrow(enrichmentBody, body);
    return { enrichment: await this.enrichment.save(externalId, input, actorOf(principal)) };
  }

  @Delete()
  @HttpCode(204)
  @Auth('curator')
  @ApiOperation({ summary: 'Discard the reading: the model reads the profile again' })
  async reset(@Param('externalId') externalId: string, @CurrentPrincipal() principal: Principal) {
    await this.enrichment.reset(externalId, actorOf(principal));
  }
}
