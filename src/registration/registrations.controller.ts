import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { parseOrThrow } from '../common/zod-validation';
import { RegistrationReviewService } from './registration-review.service';
import { REGISTRATION_STATUSES } from './registration.repository';

const listQuery = z.strictObject({
  status: z.enum(REGISTRATION_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
const askBody = z.strictObject({ question: z.string().trim().min(1, 'must not be empty').max(2000) });
const rejectBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(2000) });

/** Firms' own registrations for staff: the review queue and its three decisions. */
@ApiTags('registrations')
@Controller('api/registrations')
export class RegistrationsController {
  constructor(private readonly review: RegistrationReviewService) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({ summary: 'Registrations sent by firms in chat, those waiting for staff first (?status=)' })
  list(@Query() query: unknown) {
    return this.review.list(parseOrThrow(listQuery, query));
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOperation({ summary: 'One registration: the profile it makes, the interview, possible duplicates' })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal) {
    return this.review.get(id, p);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Publish the profile and link the firm’s chat user to it; the firm is told' })
  approve(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal) {
    return this.review.approve(id, p);
  }

  @Post(':id/ask')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Ask the firm a question ({ question }), sent in its language' })
  ask(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal) {
    return this.review.ask(id, parseOrThrow(askBody, body ?? {}).question, p);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Reject with a reason ({ reason }), sent to the firm in its language' })
  reject(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal) {
    return this.review.reject(id, parseOrThrow(rejectBody, body ?? {}).reason, p);
  }
}
