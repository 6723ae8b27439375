import type { Lang } from '../companies/company-profile.schema';
import type { OutputJudge } from '../llm/llm.service';
import { checkModelText, redactUnseenContacts } from '../llm/output-guard';

/**
 * The output check of chat replies written by a model (web chat and LINE alike: both come through
 * ConversationService). Two layers:
 *
 * - `chatReplyJudge`: is this text garbage — empty, control or replacement characters, mojibake, chat-template
 *   tokens or the system prompt, absurdly long, stuck repeating, not in the reader's language? It runs inside
 *   LlmService.stream on every delta and on the whole answer, so a rejection cancels the call and counts against
 *   the endpoint's circuit breaker like an HTTP 500 would: a model answering garbage opens the circuit and the
 *   chat goes rule-based without asking it again for a while.
 * - `ReplyStreamGate`: what of the judged text the user may already see while it streams.
 *
 * Why buffer-and-check rather than pass deltas straight through: a judge can only reject what it has seen, and a
 * chat-template token or a loop is visible only once several deltas have arrived ("<|im" + "_end|>"). So nothing
 * is shown until a first stretch has been judged together with the text after it, and from then on the last
 * HOLD_BACK characters are always held: every character the user sees was judged with at least that much text
 * after it. When a later delta is rejected the call is cancelled and the turn's final message (the rule-based
 * reply) replaces the provisional text in the widget (`bot_message` replaces streamed text); what was shown
 * before had passed every check. Buffering the whole answer would be simpler, but would give up streaming, which
 * is what makes a slow local model feel responsive. LINE does not stream: it gets only the final, checked reply.
 */

/** Longest model-written chat reply (the prompt asks for two to four short sentences). */
export const MAX_REPLY_CHARS = 1200;
/** The first visible piece, judged together with HOLD_BACK characters after it (enough to tell the language). */
const FIRST_CHUNK = 16;
/** Later pieces are sent in batches of at least this many characters. */
const NEXT_CHUNK = 24;
/** Received but not yet shown: longer than any chat-template token, long enough to see a loop start. */
const HOLD_BACK = 24;

/** The garbage check of one reply (its state: how far the stream has been judged). */
export function chatReplyJudge(lang: Lang, names: readonly string[]): OutputJudge {
  let checkedUpTo = 0;
  return (text, done, instructions) => {
    const problem = checkModelText(done ? text.trim() : text, {
      lang,
      names,
      instructions,
      maxChars: MAX_REPLY_CHARS,
      partial: !done,
      checkedUpTo,
    });
    checkedUpTo = text.length;
    return problem;
  };
}

/**
 * Contact details never enter a reply prompt, so any e-mail address, phone number or LINE id in the answer was
 * invented or injected. Not garbage (the endpoint is fine), so it does not count against the circuit, but the
 * reply is not shown.
 */
export function inventsContacts(text: string, inputs: string[]): boolean {
  return redactUnseenContacts(text, inputs).removed > 0;
}

/**
 * Forwards a judged stream to the channel with a hold-back (see above). `offer` is called with everything received
 * so far after each delta; `finish` with the whole, accepted answer.
 */
export class ReplyStreamGate {
  private shown = 0;

  constructor(
    private readonly emit: ((delta: string) => void) | undefined,
    /** A last look before text is shown (cheap checks only: it runs for every piece). */
    private readonly mayShow: (text: string) => boolean = () => true,
  ) {}

  /** Whether anything has been shown yet (a rejection after that needs the final message to replace it). */
  get started(): boolean {
    return this.shown > 0;
  }

  /** Shows what may be shown of `text`; false when `mayShow` refused it (the caller stops the stream). */
  offer(text: string): boolean {
    if (!this.emit) return true;
    let upTo = text.length - HOLD_BACK;
    const from = this.from(text);
    if (upTo - from < (this.shown === 0 ? FIRST_CHUNK : NEXT_CHUNK)) return true;
    if (isHighSurrogate(text.charCodeAt(upTo - 1))) upTo--;
    if (!this.mayShow(text)) return false;
    this.send(text, from, upTo);
    return true;
  }

  /** The answer is complete and accepted: the rest (without trailing white space) goes out. */
  finish(text: string): void {
    if (!this.emit) return;
    this.send(text, this.from(text), text.trimEnd().length);
  }

  private from(text: string): number {
    return this.shown === 0 ? text.length - text.trimStart().length : this.shown;
  }

  private send(text: string, from: number, upTo: number): void {
    if (upTo <= from) return;
    this.emit?.(text.slice(from, upTo));
    this.shown = upTo;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
