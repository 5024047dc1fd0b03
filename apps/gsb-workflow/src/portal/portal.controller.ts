import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController, ApiOperation } from '@nestjs/swagger';
import { Public } from '@darvazeh/auth';
import { PORTAL_HTML, REVIEW_HTML } from './pages.js';

/** The screens (steps 1–14 for the applicant, the queue for the expert); the data comes from the APIs with the user's token. */
@ApiExcludeController()
@Controller()
@Public()
export class PortalController {
  @ApiOperation({ summary: 'The applicant\'s screen (/portal)' })
  @Get('portal')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
  portal(): string {
    return PORTAL_HTML;
  }

  @ApiOperation({ summary: 'The experts\' screen (/review)' })
  @Get('review')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
  review(): string {
    return REVIEW_HTML;
  }
}
