import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth } from '../auth/auth.guard';
import { parseOrThrow } from '../common/zod-validation';
import { LlmCallRepository } from './llm-call.repository';
import { LlmService } from './llm.service';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-01-31');
const usageQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });

const day = (d: Date) => d.toISOString().slice(0, 10);

@ApiTags('llm')
@Controller('api/llm')
export class LlmUsageController {
  constructor(
    private readonly calls: LlmCallRepository,
    private readonly llm: LlmService,
  ) {}

  @Get('usage')
  @Auth('viewer')
  @ApiOperation({
    summary:
      'Model calls by UTC day, task and model: counts, failures, tokens, latency (default: last 30 days)',
  })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD (inclusive)' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (inclusive)' })
  async usage(@Query() query: unknown) {
    const q = parseOrThrow(usageQuery, query);
    const to = q.to ?? day(new Date());
    const from = q.from ?? day(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
    const items = await this.calls.usage(from, to);
    const totals = items.reduce(
      (t, r) => ({
        calls: t.calls + r.calls,
        failed: t.failed + r.failed,
        inputTokens: t.inputTokens + r.inputTokens,
        outputTokens: t.outputTokens + r.outputTokens,
      }),
      { calls: 0, failed: 0, inputTokens: 0, outputTokens: 0 },
    );
    return { from, to, configured: this.llm.configured, endpoints: this.llm.status(), items, totals };
  }
}
