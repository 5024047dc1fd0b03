import { Readable } from 'node:stream';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { DomainError } from '@darvazeh/core';
import { RecordIssuanceUseCase } from '../application/record-issuance.use-case.js';
import { RevokeCertificateUseCase } from '../application/revoke-certificate.use-case.js';
import { ReleaseCertificateUseCase } from '../application/release-certificate.use-case.js';
import { ImportStatusesUseCase } from '../application/import-statuses.use-case.js';
import { StatusBook } from '../application/status-book.js';
import { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import { requireIssuer } from '../application/issuer-lookup.js';
import { requireIssuerScope } from '../../issuers/http/issuer-scope.js';
import { SerialNumber } from '../domain/serial-number.js';
import { CertificateNotFoundError } from '../domain/certificate.errors.js';
import { REVOCATION_REASONS } from '../domain/revocation-reason.js';
import { CertificateStatusResponseDto, RecordIssuanceRequestDto, RevokeRequestDto } from './certificate.dto.js';

class CsvRequiredError extends DomainError {
  readonly code = 'OCSP.CSV_REQUIRED';
  readonly kind = 'invalid' as const;
  constructor() {
    super('send the statuses as text/csv');
  }
}

/** CA operators feed statuses by hand or in bulk (role `ca`, for the issuers their token names). */
@ApiTags('ocsp admin')
@ApiBearerAuth()
@Controller('admin/issuers/:alias/certificates')
@Roles('ca')
export class CertificatesController {
  constructor(
    private readonly recordIssuance: RecordIssuanceUseCase,
    private readonly revoke: RevokeCertificateUseCase,
    private readonly release: ReleaseCertificateUseCase,
    private readonly importStatuses: ImportStatusesUseCase,
    private readonly book: StatusBook,
    private readonly directory: IssuerDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Record the issuance of one certificate (status good)' })
  async issue(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string, @Body() body: RecordIssuanceRequestDto): Promise<CertificateStatusResponseDto> {
    requireIssuerScope(principal, alias);
    const s = await this.recordIssuance.execute({ issuer: alias, serial: body.serial, notAfter: body.notAfter ? new Date(body.notAfter) : null });
    return CertificateStatusResponseDto.from(alias, s);
  }

  @Post('bulk')
  @ApiOperation({ summary: 'Import statuses in bulk from a CSV (issued, revoked, hold, unhold; all rows or none)' })
  @HttpCode(200)
  @ApiConsumes('text/csv')
  async bulk(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string, @Req() request: FastifyRequest): Promise<{ rows: number; changed: number }> {
    requireIssuerScope(principal, alias);
    const body = request.body;
    if (!(body instanceof Readable)) throw new CsvRequiredError();
    return this.importStatuses.execute({ issuer: alias, csv: body });
  }

  @Get(':serial')
  @ApiOperation({ summary: 'Read the current status record of one certificate' })
  get(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string, @Param('serial') serial: string): CertificateStatusResponseDto {
    requireIssuerScope(principal, alias);
    const issuer = requireIssuer(this.directory, alias);
    const hex = SerialNumber.parse(serial).hex;
    const s = this.book.get(issuer.issuer.id, hex);
    if (!s) throw new CertificateNotFoundError(alias, hex);
    return CertificateStatusResponseDto.from(alias, s);
  }

  @Post(':serial/revocation')
  @ApiOperation({ summary: 'Revoke a certificate (RFC 5280 reason, revocation and invalidity dates)' })
  @HttpCode(200)
  async revokeOne(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string, @Param('serial') serial: string, @Body() body: RevokeRequestDto): Promise<CertificateStatusResponseDto> {
    requireIssuerScope(principal, alias);
    const s = await this.revoke.execute({
      issuer: alias,
      serial,
      reason: body.reason,
      revokedAt: body.revokedAt ? new Date(body.revokedAt) : undefined,
      invalidityDate: body.invalidityDate ? new Date(body.invalidityDate) : null,
    });
    return CertificateStatusResponseDto.from(alias, s);
  }

  @Post(':serial/hold')
  @ApiOperation({ summary: 'Put a certificate on hold (certificateHold)' })
  @HttpCode(200)
  async holdOne(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string, @Param('serial') serial: string): Promise<CertificateStatusResponseDto> {
    requireIssuerScope(principal, alias);
    const s = await this.revoke.execute({ issuer: alias, serial, reason: REVOCATION_REASONS.certificateHold });
    return CertificateStatusResponseDto.from(alias, s);
  }

  @Delete(':serial/hold')
  @ApiOperation({ summary: 'Lift the hold of a certificate' })
  @HttpCode(200)
  async releaseOne(@CurrentPrincipal() principal: Principal | undefined, @Param('alias') alias: string, @Param('serial') serial: string): Promise<CertificateStatusResponseDto> {
    requireIssuerScope(principal, alias);
    return CertificateStatusResponseDto.from(alias, await this.release.execute({ issuer: alias, serial }));
  }
}
