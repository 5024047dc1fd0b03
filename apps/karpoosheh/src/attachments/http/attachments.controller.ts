import { Controller, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';
import { readMultipart, type MultipartRequest } from '../../shared/http/multipart.js';
import { requireAgency } from '../../shared/http/principal-guards.js';
import { UploadAttachmentsUseCase } from '../application/upload-attachments.use-case.js';

/** `POST /attachments` (multipart, one or more file parts): 201 with each file's sha256, real MIME type and size. */
@ApiTags('attachments')
@Controller('attachments')
@Roles('agency')
export class AttachmentsController {
  constructor(@Inject(UploadAttachmentsUseCase) private readonly upload: UploadAttachmentsUseCase) {}

  @ApiOperation({ summary: 'Upload attachments (multipart; real type checked, SHA-256 returned)' })
  @Post()
  async create(@CurrentPrincipal() p: Principal, @Req() req: MultipartRequest) {
    const agencyId = requireAgency(p);
    const limits = this.upload.limits();
    const form = await readMultipart(req, () => limits.maxFileBytes);
    if (form.files.length === 0) throw new KarpooshehError('KARPOOSHEH.NO_FILES', 'invalid', 'Send at least one file part.');
    const stored = await this.upload.execute(agencyId, form.files.map((f) => ({ filename: f.filename, declaredMime: f.mimetype, bytes: f.bytes })));
    return { attachments: stored };
  }
}
