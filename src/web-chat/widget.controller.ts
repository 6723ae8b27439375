import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DEMO_PAGE_CSP, demoPage } from './demo-page';
import { WidgetAssetsService } from './widget-assets.service';

/** `/widget.js` (one script tag adds the chat bubble to any page) and `/`, a demo page that embeds it. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  constructor(private readonly assets: WidgetAssetsService) {}

  @Get('widget.js')
  widget(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    const script = this.assets.script();
    if (!script) {
      res
        .status(503)
        .type('application/javascript')
        .send("console.warn('Kakehashi: the chat widget is not built (run npm run build).');\n");
      return;
    }
    res.setHeader('ETag', script.etag);
    res.setHeader('Cache-Control', 'public, max-age=300, must-revalidate');
    if (ifNoneMatch === script.etag) {
      res.status(304).end();
      return;
    }
    res.type('application/javascript').send(script.body);
  }

  @Get()
  demo(@Res() res: Response) {
    res.setHeader('Content-Security-Policy', DEMO_PAGE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/html').send(demoPage());
  }
}
