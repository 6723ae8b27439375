import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth } from '../auth/auth.guard';
import { industrySchema } from '../companies/company-profile.schema';
import { parseOrThrow } from '../common/zod-validation';
import { LexiconService } from './lexicon/lexicon.service';
import { localizedIndustries } from './taxonomy/industry-labels';

const labelsBody = z.strictObject({ industries: z.array(industrySchema).max(500) });

/** Industries as a reader of each language should see them (the console's lists show them in the UI language). */
@ApiTags('matching')
@Controller('api/industries')
export class IndustryLabelsController {
  constructor(private readonly lexicon: LexiconService) {}

  @Post('labels')
  @HttpCode(200)
  @Auth('viewer')
  @ApiOperation({
    summary: 'Names of industries in ja, th and en',
    description:
      'For each industry given (scheme, code, label in any language), its label in every language: the ' +
      'classification’s name for the code, else the names of the concepts the label says, else the label as written.',
  })
  @ApiBody({ schema: z.toJSONSchema(labelsBody) as Record<string, unknown> })
  labels(@Body() body: unknown) {
    const { industries } = parseOrThrow(labelsBody, body);
    return { labels: localizedIndustries(industries, this.lexicon.current()).map((i) => i.label) };
  }
}
