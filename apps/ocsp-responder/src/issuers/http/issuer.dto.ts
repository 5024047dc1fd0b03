import { ISSUER_ALIAS_PATTERN } from '@darvazeh/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { certificateInfo } from '../../pki/certificate-info.js';
import type { Issuer } from '../domain/issuer.js';

export class RegisterIssuerRequestDto {
  @ApiProperty({ example: 'national-ca-1', description: 'URL name: /ocsp/{alias}, /crl/{alias}.crl' })
  @Matches(ISSUER_ALIAS_PATTERN, { message: 'alias must be lowercase letters, digits and hyphens (max 63)' })
  alias: string;

  @ApiProperty({ description: 'CA certificate, PEM' })
  @IsString()
  @MaxLength(20_000)
  certificatePem: string;

  @ApiPropertyOptional({ description: 'Delegated OCSP responder certificate (id-kp-OCSPSigning + ocsp-nocheck), PEM' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  responderCertificatePem?: string;

  @ApiProperty({ description: 'File name of the signing key in OCSP_KEY_DIR (responder key, or the CA key)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  signingKeyRef: string;

  @ApiPropertyOptional({ description: 'File name of the CA key for CRL signing, when the OCSP signer is delegated' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  crlKeyRef?: string;
}

export class IssuerResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() alias: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: 'SHA-256 fingerprint of the CA certificate' }) fingerprint256: string;
  @ApiProperty() signedBy: 'ca-key' | 'delegated-responder';
  @ApiProperty() crlSigning: boolean;
  @ApiProperty() ocspUrl: string;
  @ApiProperty() crlUrl: string;
  @ApiProperty() createdAt: string;

  static from(issuer: Issuer): IssuerResponseDto {
    const ca = certificateInfo(issuer.certificateDer);
    return {
      id: issuer.id,
      alias: issuer.alias,
      subject: ca.node.subject.replace(/\n/g, ', '),
      fingerprint256: ca.node.fingerprint256,
      signedBy: issuer.responderCertificateDer ? 'delegated-responder' : 'ca-key',
      crlSigning: issuer.responderCertificateDer === null || issuer.crlKeyRef !== null,
      ocspUrl: `/ocsp/${issuer.alias}`,
      crlUrl: `/crl/${issuer.alias}.crl`,
      createdAt: issuer.createdAt.toISOString(),
    };
  }
}
