import { describe, expect, it } from '@jest/globals';
import { PDF_MIN, PNG_1X1 } from '../../../test/fixtures.js';
import { checkFile, checkNoticeTotal, sha256Hex, sniffMime, type AttachmentLimits } from './attachment-policy.js';


const limits: AttachmentLimits = { maxFileBytes: 1024, maxNoticeBytes: 1500, maxFilesPerNotice: 3, allowedMimeTypes: ['application/pdf', 'image/png', 'image/jpeg'] };

describe('attachment checks (MIME by signature)', () => {
  it('recognises PDF and PNG by their signatures', async () => {
    expect(await sniffMime(PDF_MIN)).toBe('application/pdf');
    expect(await sniffMime(PNG_1X1)).toBe('image/png');
  });

  it('accepts an allowed file and returns its SHA-256', async () => {
    const checked = await checkFile('a.pdf', PDF_MIN, 'application/pdf', limits);
    expect(checked).toEqual({ sha256: sha256Hex(PDF_MIN), mime: 'application/pdf', size: PDF_MIN.length });
    expect(checked.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a script disguised as a PDF (name and declared type lie)', async () => {
    const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
    await expect(checkFile('invoice.pdf', script, 'application/pdf', limits)).rejects.toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED', kind: 'unsupported_media_type' });
  });

  it('refuses a real type outside the allow-list (a ZIP)', async () => {
    const zip = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex');
    await expect(checkFile('x.zip', zip, undefined, limits)).rejects.toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_TYPE_NOT_ALLOWED' });
  });

  it('refuses a declared type that disagrees with the content', async () => {
    await expect(checkFile('x.png', PDF_MIN, 'image/png', limits)).rejects.toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_TYPE_MISMATCH' });
  });

  it('refuses files over the per-file limit and notices over the per-notice total', async () => {
    await expect(checkFile('big.pdf', Buffer.concat([PDF_MIN, Buffer.alloc(2000)]), undefined, limits)).rejects.toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_TOO_LARGE', kind: 'too_large' });
    expect(() => checkNoticeTotal([1000, 1000], limits)).toThrow(expect.objectContaining({ code: 'KARPOOSHEH.ATTACHMENTS_TOO_LARGE' }));
    expect(() => checkNoticeTotal([1, 1, 1, 1], limits)).toThrow(expect.objectContaining({ code: 'KARPOOSHEH.TOO_MANY_ATTACHMENTS' }));
    expect(() => checkNoticeTotal([700, 700], limits)).not.toThrow();
  });
});
