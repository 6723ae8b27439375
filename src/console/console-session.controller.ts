import { Body, Controller, Delete, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Auth } from '../auth/auth.guard';
import { parseOrThrow } from '../common/zod-validation';
import { ConsoleAuthService, type WithCookie } from './console-auth.service';
import { preferencesBody, signInBody } from './console.dto';

function withCookie<T>(res: Response, result: WithCookie<T>): T {
  res.setHeader('Set-Cookie', result.setCookie);
  return result.body;
}

@ApiTags('console')
@Controller('api/console/session')
export class ConsoleSessionController {
  constructor(private readonly consoleAuth: ConsoleAuthService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff sign-in: sets the HttpOnly session cookie, returns the CSRF token' })
  async signIn(@Req() req: Request, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    // A lockout's retryAfterSeconds becomes the Retry-After header (ProblemFilter).
    return withCookie(res, await this.consoleAuth.signIn(req, parseOrThrow(signInBody, body)));
  }

  @Get('status')
  @ApiOperation({
    summary:
      'Who is signed in, if anyone: the session as GET /api/console/session gives it, or { staff: null }',
    description:
      'For the console to learn at start whether it has a session without a 401 (which browsers log as an error).',
  })
  async status(@Req() req: Request) {
    return this.consoleAuth.status(req);
  }

  @Get()
  @Auth('viewer')
  @ApiOperation({ summary: 'The signed-in staff member, the session CSRF token and expiry' })
  current(@Req() req: Request) {
    return this.consoleAuth.current(req);
  }

  @Delete()
  @Auth('viewer')
  @ApiOperation({ summary: 'Sign out of this browser' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return withCookie(res, await this.consoleAuth.signOut(req));
  }

  @Post('everywhere')
  @HttpCode(200)
  @Auth('viewer')
  @ApiOperation({ summary: 'Sign out of every browser and device' })
  async signOutEverywhere(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return withCookie(res, await this.consoleAuth.signOutEverywhere(req));
  }

  @Put('preferences')
  @Auth('viewer')
  @ApiOperation({ summary: 'Remember the console UI language (ja, th or en) for this account' })
  async preferences(@Req() req: Request, @Body() body: unknown) {
    return this.consoleAuth.setUiLang(req, parseOrThrow(preferencesBody, body).uiLang);
  }
}
