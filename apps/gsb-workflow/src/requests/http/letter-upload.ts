import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import multipart from '@fastify/multipart';
import { GsbSettings } from '../../config/gsb-settings.js';
import { GsbError } from '../../shared/domain/gsb.errors.js';

interface MultipartFile {
  filename: string;
  toBuffer(): Promise<Buffer>;
}
export interface MultipartRequest {
  isMultipart?: () => boolean;
  file(options?: { limits?: { fileSize?: number; files?: number } }): Promise<MultipartFile | undefined>;
}

/** Registers @fastify/multipart on this app's Fastify instance (the letter upload is its only user). */
@Injectable()
export class MultipartSupport implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.host.httpAdapter?.getInstance?.() as { register(p: unknown, o?: unknown): Promise<unknown> | unknown; hasContentTypeParser(t: string): boolean } | undefined;
    if (!fastify || fastify.hasContentTypeParser('multipart/form-data')) return;
    await fastify.register(multipart, { throwFileSizeLimit: true });
  }
}

/** Reads the one file of a multipart/form-data body, at most `maxBytes` (+1 to tell "too large"). */
export async function readLetterFile(req: MultipartRequest, settings: GsbSettings): Promise<{ bytes: Buffer; fileName: string | null }> {
  if (typeof req.isMultipart !== 'function' || !req.isMultipart()) {
    throw new GsbError('GSB.MULTIPART_REQUIRED', 'unsupported_media_type', 'send the letter as multipart/form-data with one file field', {
      errors: [{ field: 'file', message: 'multipart/form-data with one file is required' }],
    });
  }
  try {
    const file = await req.file({ limits: { fileSize: settings.letterMaxBytes, files: 1 } });
    if (!file) throw new GsbError('GSB.LETTER_FILE_MISSING', 'invalid', 'the form holds no file', { errors: [{ field: 'file', message: 'is required' }] });
    return { bytes: await file.toBuffer(), fileName: file.filename || null };
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new GsbError('GSB.LETTER_FILE_TOO_LARGE', 'too_large', `the letter file is larger than ${settings.letterMaxBytes} bytes`, {
        errors: [{ field: 'file', message: `at most ${settings.letterMaxBytes} bytes` }],
      });
    }
    throw e;
  }
}
