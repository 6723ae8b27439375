import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CONSOLE_CSP, ConsolePagesService } from './console-pages.service';

@ApiExcludeController()
@Controller('console')
export class ConsolePagesController {
  constructor(private readonly pages: ConsolePagesService) {}

  @Get('assets/:file')
  asset(@Param('file') file: string, @Query('v') version: string | undefined, @Res() res: Response) {
    const found = this.pages.asset(file, typeof version === 'string' ? version : undefined);
    if (!found) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(found.path, {
      headers: {
        'Cache-Control': found.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
    });
  }

  @Get()
  root(@Req() req: Request, @Res() res: Response) {
    return this.render(req, res, '');
  }

  @Get('*path')
  any(@Req() req: Request, @Res() res: Response) {
    return this.render(req, res, req.path.slice('/console'.length));
  }

  private async render(req: Request, res: Response, route: string) {
    const result = await this.pages.page(req, route.replace(/\/+$/, '') || '/');
    res.setHeader('Cache-Control', 'no-store');
    if ('redirect' in result) {
      res.redirect(302, result.redirect);
      return;
    }
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('text/html').send(result.html);
  }
}
