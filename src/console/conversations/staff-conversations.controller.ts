import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, CurrentPrincipal } from '../../auth/auth.guard';
import type { Principal } from '../../auth/principal';
import { parseOrThrow } from '../../common/zod-validation';
import { llmProblem, sendLlmProblem } from '../../llm/llm-problem';
import {
  conversationListQuery,
  conversationViewQuery,
  staffReplyBody,
  translateMessageBody,
} from './staff-conversations.dto';
import { StaffConversationsService } from './staff-conversations.service';

@ApiTags('console')
@Controller('api/console/conversations')
export class StaffConversationsController {
  constructor(private readonly conversations: StaffConversationsService) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({
    summary: 'Conversations by channel and language; the needs-staff queue; no user ids or text',
  })
  async list(@Query() query: unknown) {
    const q = parseOrThrow(conversationListQuery, query);
    const result = await this.conversations.list(q);
    return { ...result, page: q.page, limit: q.limit };
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOperation({ summary: 'One conversation and its latest messages (or those after `after`)' })
  view(@Param('id') id: string, @Query() query: unknown) {
    return this.conversations.view(id, parseOrThrow(conversationViewQuery, query).after);
  }

  @Post(':id/messages/:messageId/translation')
  @HttpCode(200)
  @Auth('viewer')
  @ApiOperation({ summary: 'A message translated for the staff reader (503 when no model is configured)' })
  async translate(
    @Param('id') id: string,
    @Param('messageId') messageId: string,
    @Body() body: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { to } = parseOrThrow(translateMessageBody, body);
    return answerLlmErrors(res, acceptLanguage, () =>
      this.conversations.translateMessage(id, parseMessageId(messageId), to),
    );
  }

  @Post(':id/take-over')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Staff take the thread over: the bot stops answering, the user is told' })
  takeOver(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.conversations.takeOver(id, principal);
  }

  @Post(':id/hand-back')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Hand the thread back to the bot; the user is told' })
  handBack(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.conversations.handBack(id, principal);
  }

  @Post(':id/messages')
  @HttpCode(201)
  @Auth('curator')
  @ApiOperation({
    summary:
      'A staff reply, translated into the user’s language when a model is configured, sent on the channel',
  })
  async reply(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const reply = parseOrThrow(staffReplyBody, body);
    return answerLlmErrors(res, acceptLanguage, () => this.conversations.reply(id, reply, principal));
  }
}

/** No model configured, or the provider failing: a localized problem answer (an expected state, not logged as a crash). */
async function answerLlmErrors<T>(
  res: Response,
  acceptLanguage: string | undefined,
  work: () => Promise<T>,
): Promise<T | Record<string, unknown>> {
  try {
    return await work();
  } catch (err) {
    const problem = llmProblem(err, acceptLanguage, 'translation');
    if (!problem) throw err;
    return sendLlmProblem(res, problem);
  }
}

function parseMessageId(id: string): string {
  return parseOrThrow(conversationViewQuery, { after: id }).after ?? id;
}
