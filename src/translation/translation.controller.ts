import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Auth } from '../auth/auth.guard';
import { parseOrThrow } from '../common/zod-validation';
import { llmProblem, sendLlmProblem } from '../llm/llm-problem';
import { TranslationService } from './translation.service';

const lang = z.enum(['ja', 'th', 'en']);
const extraTerm = z
  .strictObject({
    ja: z.string().min(1).max(200).optional(),
    th: z.string().min(1).max(200).optional(),
    en: z.string().min(1).max(200).optional(),
    doNotTranslate: z.boolean().optional(),
  })
  .refine((t) => t.ja || t.th || t.en, { message: 'needs at least one of ja, th, en' });

export const translateBodySchema = z.strictObject({
  text: z.string().min(1, 'must not be empty').max(5000, 'must be at most 5000 characters'),
  to: lang,
  from: lang.optional(),
  glossary: z.union([z.boolean(), z.array(extraTerm).max(50)]).optional(),
  context: z.enum(['message', 'profile', 'name', 'text']).optional(),
});

const bodyJsonSchema = z.toJSONSchema(translateBodySchema, { unrepresentable: 'any', io: 'input' }) as Record<
  string,
  unknown
>;

@ApiTags('translation')
@Controller('api/translate')
export class TranslationController {
  constructor(private readonly translation: TranslationService) {}

  @Post()
  @HttpCode(200)
  @Auth('partner')
  @ApiOperation({
    summary: 'Translate between Japanese, Thai and English with the staff glossary enforced',
    description:
      '`from` is detected when omitted. `glossary`: false ignores the staff glossary; an array adds terms for this ' +
      'request. The answer names the terms applied; `flagged` with `violations` when the post-checks (terms, ' +
      'numbers, dates, units, e-mails, URLs, output language) still failed after one retry. 503 (localized by ' +
      'Accept-Language) when no language model is configured.',
  })
  @ApiBody({ schema: bodyJsonSchema })
  async translate(
    @Body() body: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const req = parseOrThrow(translateBodySchema, body);
    try {
      return await this.translation.translate(req);
    } catch (err) {
      const problem = llmProblem(err, acceptLanguage, 'translation');
      if (!problem) throw err;
      return sendLlmProblem(res, problem, '/api/translate');
    }
  }
}
