import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth } from '../auth/auth.guard';
import { COUNTRIES, LANGS, PARTNERSHIP_TYPES } from '../companies/company-profile.schema';
import { parseOrThrow } from '../common/zod-validation';
import { MAX_QUERY_LENGTH, MatchService } from './match.service';

const matchBody = z.strictObject({
  text: z.string().max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
  lang: z.enum(LANGS).optional(),
  seekerCountry: z.enum(COUNTRIES).optional(),
  filters: z
    .strictObject({
      country: z.enum(COUNTRIES).optional(),
      industry: z.string().min(1).max(200).optional(),
      partnershipType: z.enum(PARTNERSHIP_TYPES).optional(),
      region: z.string().min(1).max(200).optional(),
      employeesMin: z.number().int().min(0).optional(),
      employeesMax: z.number().int().min(0).optional(),
    })
    .optional(),
  limit: z.number().int().min(1).max(50).optional(),
  offset: z.number().int().min(0).max(1000).optional(),
  exclude: z.array(z.string().max(128)).max(200).optional(),
});

@ApiTags('matching')
@Controller('api/match')
export class MatchController {
  constructor(private readonly matcher: MatchService) {}

  @Post()
  @HttpCode(200)
  @Auth('partner')
  @ApiOperation({
    summary: 'Find partner companies for a request in Japanese, Thai or English',
    description:
      'Hybrid retrieval (vector + keyword + business concepts, fused by reciprocal rank), filtered to the other ' +
      'country by default, each result explained in the seeker’s language.',
  })
  @ApiBody({ schema: z.toJSONSchema(matchBody) as Record<string, unknown> })
  async match(@Body() body: unknown) {
    return this.matcher.findPartners(parseOrThrow(matchBody, body));
  }
}
