import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type ConversationRouter, ConversationRouting } from '../conversation/conversation-router';
import type { BotReply, InboundCommand } from '../conversation/conversation.types';
import { asksForOwnCompany, asksToRegister } from './registration-interview';
import { RegistrationRepository, companyInviteIn } from './registration.repository';
import { RegistrationService } from './registration.service';

/**
 * What the conversation engine asks before the bot reads a message, for self-registration: the interview's
 * buttons, the next answer of an interview under way (or of a staff question), and "register my company" or
 * "my company" in words. One indexed lookup per text message; group chats are never interviewed.
 */
@Injectable()
export class RegistrationRouter implements ConversationRouter, OnModuleInit {
  constructor(
    private readonly routing: ConversationRouting,
    private readonly registration: RegistrationService,
    private readonly repo: RegistrationRepository,
  ) {}

  onModuleInit(): void {
    this.routing.use(this);
  }

  async route(command: InboundCommand): Promise<BotReply | undefined> {
    if (command.meta?.isGroup) return undefined;
    if (command.postback !== undefined) {
      const params = new URLSearchParams(command.postback);
      const action = params.get('action') ?? '';
      return action.startsWith('reg-') ? this.registration.button(action, params, command) : undefined;
    }
    const text = command.text?.trim();
    if (!text) return undefined;
    const active = await this.repo.activeInThread(command.channel, command.userId);
    if (active) {
      if (asksToRegister(text) && active.status === 'drafting') return this.registration.begin(command);
      return this.registration.answer(active, command);
    }
    const invitation = companyInviteIn(text);
    if (invitation && [...text].length <= 60) return this.registration.redeemInvite(command, invitation);
    if (asksToRegister(text)) return this.registration.begin(command);
    if (asksForOwnCompany(text)) return this.registration.button('reg-my', new URLSearchParams(), command);
    return undefined;
  }
}
