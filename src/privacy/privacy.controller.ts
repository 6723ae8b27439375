import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { parseOrThrow } from '../common/zod-validation';
import { PrivacyService } from './privacy.service';

const chatUserParams = z.strictObject({
  channel: z.enum(['line', 'web']),
  userId: z.string().min(1).max(200),
});
const companyParams = z.strictObject({ externalId: z.string().min(1).max(128) });

/** Subject-access exports (PDPA / APPI): everything held about a chat user or a company, as JSON. Admins only. */
@ApiTags('privacy')
@Controller('api/privacy')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('chat-users/:channel/:userId/export')
  @Auth('admin')
  @ApiOperation({ summary: 'Everything held about a chat user (LINE userId or web visitor id), as JSON' })
  exportChatUser(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { channel, userId } = parseOrThrow(chatUserParams, params);
    return this.privacy.exportChatUser(channel, userId, principal);
  }

  @Delete('chat-users/:channel/:userId')
  @HttpCode(200)
  @Auth('admin')
  @ApiOperation({
    summary: 'Forget a chat user (a request received outside the chat): the same erasure as "forget me"',
  })
  forgetChatUser(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { channel, userId } = parseOrThrow(chatUserParams, params);
    return this.privacy.forgetChatUser(channel, userId, principal);
  }

  @Get('companies/:externalId/export')
  @Auth('admin')
  @ApiOperation({ summary: 'Everything held about a company profile (contacts, index rows, audit), as JSON' })
  exportCompany(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { externalId } = parseOrThrow(companyParams, params);
    return this.privacy.exportCompany(externalId, principal);
  }
}
