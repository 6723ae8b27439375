import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { parseOrThrow } from '../common/zod-validation';
import { IntroductionsService } from './introductions.service';

const listQuery = z.strictObject({
  status: z.enum(['draft', 'pending', 'accepted', 'declined', 'expired', 'cancelled']).optional(),
  needsStaff: z.enum(['true', 'false']).optional(),
  target: z.string().max(128).optional(),
  page: z.coerce.number().int().min(1).max(10000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
const declineBody = z.strictObject({ reason: z.string().trim().max(1000).optional() });
const linkBody = z.strictObject({
  channel: z.enum(['line', 'web']),
  channelUserId: z.string().min(1).max(200),
  companyExternalId: z.string().min(1).max(128).nullable(),
});

/**
 * Introductions for staff: every request and its state (those waiting for staff — targets nobody can be reached
 * for, or who asked — are flagged), accepting or declining on a company's behalf, and linking a chat user to the
 * company they speak for.
 */
@ApiTags('introductions')
@Controller('api/introductions')
export class IntroductionsController {
  constructor(private readonly introductions: IntroductionsService) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({ summary: 'Every introduction request and its state (?status=&needsStaff=true&target=)' })
  list(@Query() query: unknown) {
    const q = parseOrThrow(listQuery, query);
    return this.introductions.list({ ...q, needsStaff: q.needsStaff === 'true' });
  }

  @Post('links')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({
    summary: 'Link a chat user to the company they speak for ({ channel, channelUserId, companyExternalId })',
  })
  link(@Body() body: unknown, @CurrentPrincipal() p: Principal) {
    const b = parseOrThrow(linkBody, body);
    return this.introductions.link(b.channel, b.channelUserId, b.companyExternalId, p);
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOperation({ summary: 'One request: the need, the message as written, who was told, the outcome' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.introductions.get(id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Accept on the target company’s behalf: opens the deal room' })
  accept(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal) {
    return this.introductions.acceptOnBehalf(id, p);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Decline on the target company’s behalf ({ reason? }, passed on translated)' })
  decline(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal) {
    const b = parseOrThrow(declineBody, body ?? {});
    return this.introductions.declineOnBehalf(id, p, b.reason);
  }
}
