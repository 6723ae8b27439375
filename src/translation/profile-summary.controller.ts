import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Auth } from '../auth/auth.guard';
import { parseOrThrow } from '../common/zod-validation';
import { llmProblem, sendLlmProblem } from '../llm/llm-problem';
import { ProfileSummaryService } from './profile-summary.service';

const summaryBody = z.strictObject({
  externalId: z.string().min(1).max(128),
  lang: z.enum(['ja', 'th', 'en']),
});

@ApiTags('llm')
@Controller('api/llm/profile-summary')
export class ProfileSummaryController {
  constructor(private readonly summaries: ProfileSummaryService) {}

  @Post()
  @HttpCode(200)
  @Auth('viewer')
  @ApiOperation({ summary: "Two or three sentences introducing a company's public profile, in ja, th or en" })
  async summarize(
    @Body() body: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { externalId, lang } = parseOrThrow(summaryBody, body);
    try {
      return await this.summaries.summarize(externalId, lang);
    } catch (err) {
      const problem = llmProblem(err, acceptLanguage, 'generation');
      if (!problem) throw err;
      return sendLlmProblem(res, problem, '/api/llm/profile-summary');
    }
  }
}
