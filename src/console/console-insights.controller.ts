import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { parseOrThrow } from '../common/zod-validation';
import { ConsoleInsightsService } from './console-insights.service';
import { auditQuery, parseIfMatch, reviewBody } from './console.dto';

@ApiTags('console')
@Controller('api/console')
export class ConsoleInsightsController {
  constructor(private readonly insights: ConsoleInsightsService) {}

  @Get('capabilities')
  @Auth('viewer')
  @ApiOperation({ summary: 'What this server can do (e.g. whether an LLM is configured for translation)' })
  capabilities() {
    return this.insights.capabilities();
  }

  @Get('overview')
  @Auth('viewer')
  @ApiOperation({ summary: 'Dashboard figures: profiles by country/status, languages missing, activity' })
  overview() {
    return this.insights.overview();
  }

  @Get('audit')
  @Auth('viewer')
  @ApiOperation({ summary: 'Audit trail, newest first (staff and token records for admins only)' })
  async audit(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseOrThrow(auditQuery, query);
    const items = await this.insights.auditTrail({ ...q, beforeId: q.before }, principal);
    return { items, next: items.length === q.limit ? items[items.length - 1].id : null };
  }

  @Post('profiles/:externalId/review')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Approve machine-translated fields, or mark fields as machine-translated' })
  async review(
    @Param('externalId') externalId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const change = parseOrThrow(reviewBody, body);
    const result = await this.insights.review(externalId, change, parseIfMatch(ifMatch), principal);
    res.setHeader('ETag', `"${result.version}"`);
    return result;
  }
}
