import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { conversationKey, eventKey, parseWebhookBody } from './line-event';
import { LineIngressGate } from './line-ingress-gate';
import type { NewInboxEvent } from './line-inbox.repository';
import { LineInboxWriter } from './line-inbox.writer';
import { LineInboxWorker } from './line-inbox.worker';
import { verifyLineSignature } from './line-signature';

/**
 * The webhook's whole job: prove the request is LINE's, store its events in the inbox in one short insert,
 * and let LINE go. Everything slow happens later, in the workers, so the answer takes milliseconds and LINE
 * never times out and redelivers. Only a failed inbox write answers 5xx (then LINE's redelivery is wanted).
 */
@Injectable()
export class LineWebhookService {
  private readonly logger = new Logger('LineWebhook');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: LineInboxWriter,
    private readonly worker: LineInboxWorker,
    private readonly gate: LineIngressGate,
  ) {}

  async accept(
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<{ received: number; stored: number }> {
    const secret = this.config.line.channelSecret;
    // Without a channel secret the LINE channel is off: the route is indistinguishable from a missing one.
    if (!secret) throw new NotFoundException();
    this.gate.arrived();
    if (!verifyLineSignature(rawBody, secret, signature)) {
      // Sizes only: an unverified body is not ours to log.
      this.logger.warn({
        msg: 'line webhook signature rejected',
        bytes: rawBody.length,
        signed: !!signature,
      });
      throw new ProblemException(
        401,
        'line-signature',
        'Invalid signature',
        'X-Line-Signature does not match the request body.',
      );
    }
    const body = parseWebhookBody(rawBody);
    if ('error' in body) throw new ProblemException(400, 'malformed-json', 'Bad request', body.error);

    const events: NewInboxEvent[] = body.events.map((event) => ({
      eventKey: eventKey(event),
      conversationKey: conversationKey(event.source),
      eventType: typeof event.type === 'string' ? event.type.slice(0, 100) : 'unknown',
      messageId: typeof event.message?.id === 'string' ? event.message.id : undefined,
      destination: body.destination,
      event,
    }));
    let stored: number;
    try {
      stored = await this.inbox.write(events);
    } catch (err) {
      this.logger.error({
        msg: 'line inbox write failed',
        events: events.length,
        error: (err as Error).message,
      });
      throw new ProblemException(
        503,
        'line-inbox-unavailable',
        'Service unavailable',
        'The events could not be stored; LINE will redeliver them.',
      );
    }
    if (stored > 0) this.worker.nudge();
    this.logger.debug({ msg: 'line webhook stored', events: events.length, stored });
    return { received: events.length, stored };
  }
}
