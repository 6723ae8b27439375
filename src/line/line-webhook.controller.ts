import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { LineWebhookService } from './line-webhook.service';

/**
 * `POST /webhooks/line`. `http-setup.ts` keeps this route's body raw (a Buffer): the signature covers the
 * exact bytes LINE sent, so the service verifies first and parses after.
 */
@ApiExcludeController()
@Controller('webhooks/line')
export class LineWebhookController {
  constructor(private readonly webhook: LineWebhookService) {}

  @Post()
  @HttpCode(200)
  async receive(@Req() req: Request, @Headers('x-line-signature') signature?: string): Promise<void> {
    await this.webhook.accept(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), signature);
  }
}
