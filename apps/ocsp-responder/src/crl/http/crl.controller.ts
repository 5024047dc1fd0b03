import { ISSUER_ALIAS_PATTERN } from '@darvazeh/core';
import { Controller, Get, Headers, Param, Post, Res, HttpCode } from '@nestjs/common';
import { ApiTags, ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Public, Roles, type Principal } from '@darvazeh/auth';
import { DomainError } from '@darvazeh/core';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { requireIssuer } from '../../certificates/application/issuer-lookup.js';
import { requireIssuerScope } from '../../issuers/http/issuer-scope.js';
import { derToPem } from '../../pki/certificate-info.js';
import { CrlNotFoundError } from '../domain/crl.errors.js';
import { CrlArchive } from '../application/crl-archive.js';
import { LatestCrls } from '../application/latest-crls.js';
import { PublishCrlUseCase } from '../application/publish-crl.use-case.js';

class CrlPathInvalidError extends DomainError {
  readonly code = 'OCSP.CRL_PATH_INVALID';
  readonly kind = 'invalid' as const;
  constructor(file: string) {
    super(`${file} is not {alias}.crl or {alias}.pem`);
  }
}

const FILE = new RegExp(`^(${ISSUER_ALIAS_PATTERN.source.slice(1, -1)})\\.(crl|pem)$`);
const NUMBERED = /^([0-9]{1,19})\.(crl|pem)$/;
const DELTA = /^delta\.(crl|pem)$/;

/** CRL distribution point: the current CRL, and earlier ones by number. Public, cacheable. */
@ApiTags('crl')
@Controller('crl')
export class CrlController {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly latest: LatestCrls,
    private readonly archive: CrlArchive,
    private readonly publish: PublishCrlUseCase,
  ) {}

  @Public()
  @Get(':file')
  @ApiOperation({ summary: 'Download the current full CRL of an issuer ({alias}.crl DER or {alias}.pem)' })
  current(@Param('file') file: string, @Headers('if-none-match') inm: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Buffer | string | undefined {
    const m = FILE.exec(file);
    if (!m) throw new CrlPathInvalidError(file);
    const issuer = requireIssuer(this.directory, m[1]);
    const crl = this.latest.get(issuer.issuer.id);
    if (!crl) throw new CrlNotFoundError(m[1]);
    const maxAge = Math.max(0, Math.floor((crl.nextUpdate.getTime() - Date.now()) / 1000));
    reply.headers({
      'cache-control': `max-age=${maxAge}, public, no-transform, must-revalidate`,
      'last-modified': crl.thisUpdate.toUTCString(),
      expires: crl.nextUpdate.toUTCString(),
      etag: crl.etag,
    });
    if (inm && inm.split(',').some((t) => t.trim() === crl.etag)) {
      reply.code(304);
      return undefined;
    }
    return this.body(reply, crl.der, m[2]);
  }

  @Public()
  @Get(':alias/:file')
  @ApiOperation({ summary: 'Download an earlier CRL by number, or the current delta CRL (delta.crl / delta.pem)' })
  async byNumber(@Param('alias') alias: string, @Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer | string> {
    const delta = DELTA.exec(file);
    if (delta) {
      const issuer = requireIssuer(this.directory, alias);
      const crl = this.latest.getDelta(issuer.issuer.id);
      if (!crl) throw new CrlNotFoundError(alias, 'delta');
      const maxAge = Math.max(0, Math.floor((crl.nextUpdate.getTime() - Date.now()) / 1000));
      reply.headers({ 'cache-control': `max-age=${maxAge}, public, no-transform, must-revalidate`, 'last-modified': crl.thisUpdate.toUTCString(), expires: crl.nextUpdate.toUTCString(), etag: crl.etag });
      return this.body(reply, crl.der, delta[1]);
    }
    const m = NUMBERED.exec(file);
    if (!m) throw new CrlPathInvalidError(file);
    const crl = await this.archive.byNumber(alias, BigInt(m[1]));
    // A numbered CRL never changes.
    reply.header('cache-control', 'max-age=31536000, public, immutable');
    return this.body(reply, crl.der, m[2]);
  }

  /** CA operators force a new CRL now (normally it follows revocations and the schedule). */
  @Post(':alias')
  @ApiOperation({ summary: 'Publish a new full CRL of an issuer now' })
  @Roles('ca')
  @ApiBearerAuth()
  @HttpCode(201)
  async publishNow(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string): Promise<{ issuer: string; crlNumber: string; thisUpdate: string; nextUpdate: string; revokedCount: number }> {
    requireIssuerScope(principal, alias);
    const crl = await this.publish.execute(alias);
    return { issuer: alias, crlNumber: crl.crlNumber.toString(), thisUpdate: crl.thisUpdate.toISOString(), nextUpdate: crl.nextUpdate.toISOString(), revokedCount: crl.revokedCount };
  }

  private body(reply: FastifyReply, der: Buffer, kind: string): Buffer | string {
    if (kind === 'pem') {
      reply.header('content-type', 'application/x-pem-file');
      // OpenSSL 3 only reads the label "X509 CRL".
      return derToPem(der, 'X509 CRL');
    }
    reply.header('content-type', 'application/pkix-crl');
    return der;
  }
}
