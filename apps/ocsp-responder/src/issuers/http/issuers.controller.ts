import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { RegisterIssuerUseCase } from '../application/register-issuer.use-case.js';
import { IssuerDirectory } from '../application/issuer-directory.js';
import { IssuerResponseDto, RegisterIssuerRequestDto } from './issuer.dto.js';
import { requireIssuerScope } from './issuer-scope.js';

@ApiTags('ocsp admin')
@ApiBearerAuth()
@Controller('admin/issuers')
@Roles('ca')
export class IssuersController {
  constructor(
    private readonly registerIssuer: RegisterIssuerUseCase,
    private readonly directory: IssuerDirectory,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register an issuing CA with its signing keys' })
  @HttpCode(201)
  async register(@CurrentPrincipal() principal: Principal | undefined, @Body() body: RegisterIssuerRequestDto): Promise<IssuerResponseDto> {
    requireIssuerScope(principal, body.alias);
    return IssuerResponseDto.from(await this.registerIssuer.execute(body));
  }

  /** The few issuers of this responder fit one page; the shape matches the cursor pages elsewhere. */
  @Get()
  @ApiOperation({ summary: 'List the registered issuers with their OCSP and CRL URLs' })
  list(): { items: IssuerResponseDto[]; nextCursor: null } {
    return { items: this.directory.all().map((a) => IssuerResponseDto.from(a.issuer)), nextCursor: null };
  }
}
