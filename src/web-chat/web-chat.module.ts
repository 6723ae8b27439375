import type { Server as HttpServer } from 'node:http';
import { Inject, Module } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ConversationModule } from '../conversation/conversation.module';
import { SharedRateLimitRepository } from '../observability/shared-rate-limit.repository';
import { originAllowed } from './origin-policy';
import { WEB_CHAT_RATE_BUCKETS, webChatRateBuckets } from './rate-limiter';
import { ChatIoAdapter } from './socket-io.adapter';
import { WebChatSessionController } from './web-chat-session.controller';
import { WebChatGateway } from './web-chat.gateway';
import { WebChatService } from './web-chat.service';
import { WidgetAssetsService } from './widget-assets.service';
import { WidgetController } from './widget.controller';

/**
 * The web chat channel: visitor sessions, the socket.io gateway on `/chat`, `/widget.js` and the demo page at `/`.
 * It installs its socket.io adapter itself (before the app initialises its gateways), so bootstrap code needs
 * nothing web-chat specific.
 */
@Module({
  imports: [ConversationModule],
  controllers: [WebChatSessionController, WidgetController],
  providers: [
    WebChatService,
    WebChatGateway,
    WidgetAssetsService,
    {
      provide: WEB_CHAT_RATE_BUCKETS,
      inject: [APP_CONFIG, SharedRateLimitRepository],
      useFactory: webChatRateBuckets,
    },
  ],
  // The deal-room relay checks visitor tokens and origins (room uploads) the same way.
  exports: [WebChatService],
})
export class WebChatModule {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    applicationConfig: ApplicationConfig,
    httpAdapterHost: HttpAdapterHost,
  ) {
    if (applicationConfig.getIoAdapter()) return;
    applicationConfig.setIoAdapter(
      new ChatIoAdapter(() => httpAdapterHost.httpAdapter?.getHttpServer() as HttpServer | undefined, {
        maxPayloadBytes: config.webChat.maxPayloadBytes,
        // Same-origin requests never need CORS; the browser asks only for cross-origin ones.
        corsOrigin: (origin) =>
          origin !== undefined &&
          originAllowed(origin, undefined, config.webChat.allowedOrigins, config.http.publicBaseUrl),
      }),
    );
  }
}
