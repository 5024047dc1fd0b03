import { Controller, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { streamMultipartFiles, type MultipartRequest } from '../../shared/http/multipart.js';
import { requireAgency } from '../../shared/http/principal-guards.js';
import { UploadAttachmentsUseCase } from '../application/upload-attachments.use-case.js';

/**
 * `POST /attachments` (multipart, one or more file parts): 201 with each file's sha256, real MIME
 * type and size. The parts are streamed into the store as they arrive (never buffered whole).
 */
@ApiTags('attachments')
@Controller('attachments')
@Roles('agency')
export class AttachmentsController {
  constructor(@Inject(UploadAttachmentsUseCase) private readonly upload: UploadAttachmentsUseCase) {}

  @ApiOperation({ summary: 'Upload attachments (multipart, streamed; real type checked, SHA-256 returned)' })
  @Post()
  async create(@CurrentPrincipal() p: Principal, @Req() req: MultipartRequest) {
    const agencyId = requireAgency(p);
    const stored = await this.upload.execute(agencyId, streamMultipartFiles(req));
    return { attachments: stored };
  }
}
