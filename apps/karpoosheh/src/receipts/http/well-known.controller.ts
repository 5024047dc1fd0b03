import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@darvazeh/auth';
import { ReceiptSigner } from '../application/receipt-signer.js';

/** The public keys receipts are signed with (verify a receipt with any JWS library). */
@ApiTags('receipts')
@Controller('.well-known')
export class ReceiptKeysController {
  constructor(@Inject(ReceiptSigner) private readonly signer: ReceiptSigner) {}

  @Public()
  @ApiOperation({ summary: 'Public keys that verify receipts (JWKS, ES256)' })
  @Get('jwks.json')
  jwks() {
    return this.signer.publicKeys();
  }
}
