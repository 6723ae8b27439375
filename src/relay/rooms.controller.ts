import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { parseOrThrow } from '../common/zod-validation';
import { RelayReader } from './relay-reader.service';
import { RelayService } from './relay.service';

const lang = z.enum(['ja', 'th', 'en']);
const listQuery = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  needsStaff: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(10000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
const viewQuery = z.strictObject({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional().default(200),
});
const joinBody = z.strictObject({ lang: lang.optional() });
const messageBody = z.strictObject({ text: z.string().trim().min(1).max(2000), lang: lang.optional() });
const closeBody = z.strictObject({ reason: z.string().max(500).optional() });
const inviteBody = z.strictObject({ side: z.enum(['a', 'b']) });

/**
 * Deal rooms for staff: the list (rooms asking for staff first), one room with both languages side by side,
 * joining, writing in one's own language (translated for each side), handing back to the relay, closing, and
 * invitation codes for either side.
 */
@ApiTags('rooms')
@Controller('api/rooms')
export class RoomsController {
  constructor(
    private readonly reader: RelayReader,
    private readonly relay: RelayService,
  ) {}

  @Get()
  @Auth('viewer')
  @ApiOperation({ summary: 'Deal rooms, those needing staff first (?status=open|closed&needsStaff=true)' })
  async list(@Query() query: unknown) {
    const q = parseOrThrow(listQuery, query);
    const items = await this.reader.staffList({
      status: q.status,
      needsStaff: q.needsStaff === 'true',
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items, page: q.page, pageSize: q.pageSize };
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOperation({ summary: 'One room: members, and every message with its original and translations' })
  view(@Param('id', ParseUUIDPipe) id: string, @Query() query: unknown) {
    const q = parseOrThrow(viewQuery, query);
    return this.reader.staffView(id, q.limit, q.before);
  }

  @Post(':id/join')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Join the room as a coordinator ({ lang? }: the language you write in)' })
  join(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal) {
    const b = parseOrThrow(joinBody, body ?? {});
    return this.relay.staffJoin(id, p, b.lang ?? 'en');
  }

  @Post(':id/messages')
  @HttpCode(201)
  @Auth('curator')
  @ApiOperation({ summary: 'Write in the room ({ text, lang? }); relayed translated to every member' })
  post(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal) {
    const b = parseOrThrow(messageBody, body);
    return this.relay.staffPost(id, p, b.text, b.lang);
  }

  @Post(':id/hand-back')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Leave the room and hand it back to the relay (clears "needs staff")' })
  async handBack(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal) {
    await this.relay.staffHandBack(id, p);
    return { ok: true };
  }

  @Post(':id/close')
  @HttpCode(200)
  @Auth('curator')
  @ApiOperation({ summary: 'Close the room ({ reason? }); members are told and go back to the bot' })
  async close(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ) {
    const b = parseOrThrow(closeBody, body ?? {});
    await this.relay.staffClose(id, p, b.reason);
    return { ok: true };
  }

  @Post(':id/invites')
  @HttpCode(201)
  @Auth('curator')
  @ApiOperation({
    summary: 'An invitation code for one side ({ side: "a" | "b" }), to pass on to a colleague',
  })
  invite(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal) {
    const b = parseOrThrow(inviteBody, body);
    return this.relay.staffInvite(id, b.side, p);
  }
}
