import { Controller, Get, Headers, HttpCode, Options, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProblemException } from '../common/problem';
import { WebChatService } from '../web-chat/web-chat.service';
import { RelayMessageRepository } from './relay-message.repository';
import { RelayUploadService } from './relay-upload.service';

/** Images a browser may show inline; everything else downloads (never rendered as a page of ours). */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * Files in deal rooms. `POST /relay/uploads` takes a widget upload as the raw body (Content-Type of the file,
 * `X-File-Name`, `X-Client-Message-Id`, the visitor token as `Authorization: Bearer`), up to
 * RELAY_UPLOAD_MAX_BYTES. `GET /relay/files/{id}/{token}` serves a relayed file: the random token is the
 * capability (LINE fetches images from these URLs to show them).
 */
@ApiTags('web-chat')
@Controller('relay')
export class RelayFilesController {
  constructor(
    private readonly webChat: WebChatService,
    private readonly uploads: RelayUploadService,
    private readonly messages: RelayMessageRepository,
  ) {}

  @Post('uploads')
  @HttpCode(201)
  @ApiOperation({ summary: 'A web visitor sends a file into their deal room (raw body, visitor token)' })
  async upload(
    @Req() req: Request,
    @Headers('authorization') authorization: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Headers('host') host: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.cors(res, origin, host);
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const check = this.webChat.checkHandshake(token, origin, host);
    if (!check.ok) {
      const status = check.code === 'origin-not-allowed' ? 403 : 401;
      throw new ProblemException(status, check.code, 'Not allowed', check.message);
    }
    const max = this.uploads.maxBytes;
    const bytes = await readBody(req, max);
    const rawName = req.header('x-file-name');
    let name: string | undefined;
    try {
      name = rawName
        ? decodeURIComponent(rawName)
            .replace(/[\\/\r\n]/g, '_')
            .slice(0, 200)
        : undefined;
    } catch {
      name = undefined;
    }
    const clientMessageId = req.header('x-client-message-id');
    const contentType = (req.header('content-type') ?? 'application/octet-stream')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const result = await this.uploads.upload(check.visitor, {
      bytes,
      contentType: /^[\w.+-]+\/[\w.+-]+$/.test(contentType) ? contentType : 'application/octet-stream',
      name,
      clientMessageId:
        clientMessageId && /^[A-Za-z0-9_.:-]{1,100}$/.test(clientMessageId) ? clientMessageId : undefined,
    });
    if (!result.ok) throw new ProblemException(409, result.error, 'Not sent', result.message);
    return result;
  }

  @Options('uploads')
  preflight(
    @Headers('origin') origin: string | undefined,
    @Headers('host') host: string | undefined,
    @Res() res: Response,
  ) {
    this.cors(res, origin, host);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, X-File-Name, X-Client-Message-Id',
    );
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  }

  @Get('files/:id/:token')
  @ApiOperation({ summary: 'A file relayed in a deal room (the token in the URL is the capability)' })
  async file(@Param('id') id: string, @Param('token') token: string, @Res() res: Response) {
    const file =
      /^[0-9a-f-]{36}$/.test(id) && /^[\w-]{10,64}$/.test(token)
        ? await this.messages.file(id, token)
        : undefined;
    if (!file) throw new ProblemException(404, 'not-found', 'Not found', 'No such file.');
    const inline = INLINE.has(file.contentType);
    res.setHeader('Content-Type', inline ? file.contentType : 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    const fileName = encodeURIComponent(file.name ?? (inline ? 'image' : 'file'));
    res.setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${fileName}`);
    res.status(200).end(file.bytes);
  }

  private cors(res: Response, origin: string | undefined, host: string | undefined) {
    res.setHeader('Vary', 'Origin');
    if (origin && this.webChat.originAllowed(origin, host))
      res.setHeader('Access-Control-Allow-Origin', origin);
  }
}

/** The raw request body, refused with 413 past `max` bytes (the stream is not read further). */
function readBody(req: Request, max: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body);
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () =>
    new ProblemException(413, 'payload-too-large', 'Payload too large', `Files may be at most ${max} bytes.`);
  if (declared > max) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
