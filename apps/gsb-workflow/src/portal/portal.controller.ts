import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@darvazeh/auth';

/** Placeholder; the screens come next. */
@ApiExcludeController()
@Controller()
@Public()
export class PortalController {
  @Get('portal')
  @Header('content-type', 'text/html; charset=utf-8')
  portal(): string {
    return '<!doctype html><html lang="fa" dir="rtl"><meta charset="utf-8"><title>درگاه</title></html>';
  }
}
