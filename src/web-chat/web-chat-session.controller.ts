import { Body, Controller, Headers, HttpCode, Options, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { WebChatService } from './web-chat.service';

/** Visitor sessions for the web chat widget. Called by the widget from the host page (possibly cross-origin). */
@ApiTags('web-chat')
@Controller('api/chat/sessions')
export class WebChatSessionController {
  constructor(private readonly chat: WebChatService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'A signed, expiring visitor token for the web chat ({ lang?, identity? } → { token, expiresAt })',
  })
  create(
    @Body() body: unknown,
    @Headers('origin') origin: string | undefined,
    @Headers('host') host: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.cors(res, origin, host);
    res.setHeader('Cache-Control', 'no-store');
    // req.ip is the client's address behind a proxy only with TRUST_PROXY (see client-network.ts).
    return this.chat.createSession(body, origin, host, req.ip);
  }

  /** CORS preflight from an allowed host site. */
  @Options()
  preflight(
    @Headers('origin') origin: string | undefined,
    @Headers('host') host: string | undefined,
    @Res() res: Response,
  ) {
    this.cors(res, origin, host);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  }

  private cors(res: Response, origin: string | undefined, host: string | undefined) {
    res.setHeader('Vary', 'Origin');
    if (origin && this.chat.originAllowed(origin, host)) res.setHeader('Access-Control-Allow-Origin', origin);
  }
}
