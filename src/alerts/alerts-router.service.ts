import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type ConversationRouter, ConversationRouting } from '../conversation/conversation-router';
import type { BotReply, InboundCommand } from '../conversation/conversation.types';
import { normalizeForRules } from '../conversation/understanding/rule-understanding';
import { SAVE_ALERT, STOP_ALERTS } from './alert-texts';
import { AlertsService } from './alerts.service';

/**
 * The chat side of partner alerts: the "alert me" button under search results and "stop alerts" (button or
 * words). Reads nothing from the database for other messages.
 */
@Injectable()
export class AlertsRouter implements ConversationRouter, OnModuleInit {
  constructor(
    private readonly routing: ConversationRouting,
    private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.routing.use(this);
  }

  async route(command: InboundCommand): Promise<BotReply | undefined> {
    if (command.meta?.isGroup) return undefined;
    if (command.postback !== undefined) {
      const action = new URLSearchParams(command.postback).get('action');
      if (action === 'alert-save') return this.alerts.save(command);
      if (action === 'alert-stop') return this.alerts.stop(command);
      return undefined;
    }
    const text = command.text?.trim();
    if (!text || [...text].length > 60) return undefined;
    const said = normalizeForRules(text).replace(/[\s!！。.?？]+$/u, '');
    if (STOP_ALERTS.test(said)) return this.alerts.stop(command);
    if (SAVE_ALERT.test(said)) return this.alerts.save(command);
    return undefined;
  }
}
