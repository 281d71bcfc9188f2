import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Put, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { MultipartUpload, receiveUpload } from '../files/multipart-upload.js';
import { BillingSettingsService, MAX_LOGO_BYTES } from './billing-settings.service.js';
import { BillingSettingsDto, LogoUploadBodyDto, UpdateBillingSettingsDto } from './dto/billing-settings.dto.js';

const IMAGE = { type: 'string', format: 'binary', maxLength: MAX_LOGO_BYTES };

// Issue 11, settlements: money routes are for admins (reads included).
@ApiTags('billing-settings')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Access('admin')
@Controller('api/v1/billing-settings')
export class BillingSettingsController {
  constructor(private readonly settings: BillingSettingsService) {}

  @Get()
  @ApiOperation({
    summary: "The studio's billing settings",
    description: 'Legal name, address, tax ids, bank details, number formats and terms. `nextNumbers` previews what the next finalization would get today; reading it consumes no number.',
  })
  @ApiOkResponse({ type: BillingSettingsDto })
  getBillingSettings(): Promise<BillingSettingsDto> {
    return this.settings.get();
  }

  @Patch()
  @ApiOperation({
    summary: 'Change the billing settings',
    description:
      'Only the fields sent change; null clears an optional field. Number formats hold {YYYY}, {YY}, {MM} and exactly one {seq} or {seq:N}; with `numberReset: yearly` they need {YYYY} or {YY}. ' +
      'The IBAN check digits are verified. An invalid field is a 400 naming it, and nothing changes.',
  })
  @ApiOkResponse({ type: BillingSettingsDto })
  @ApiProblems(400)
  updateBillingSettings(@Body() dto: UpdateBillingSettingsDto): Promise<BillingSettingsDto> {
    return this.settings.update(dto);
  }

  @Put('logo')
  @MultipartUpload()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Set the studio's logo",
    description: 'multipart/form-data with one part named `file`: a PNG or JPEG (sniffed from the bytes) of at most 512 KB. Larger: 413 `logo-too-large`; another type: 415 `unsupported-logo-type`; nothing stored either way.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: LogoUploadBodyDto })
  @ApiNoContentResponse({ description: 'Stored' })
  @ApiProblems(400)
  setBillingLogo(@Req() request: FastifyRequest): Promise<void> {
    return receiveUpload(request, (source) => this.settings.setLogo(source));
  }

  @Get('logo')
  @ApiOperation({ summary: "The studio's logo", description: 'The image as uploaded (PNG or JPEG); 404 when there is none.' })
  @ApiResponse({ status: 200, description: 'The image', content: { 'image/png': { schema: IMAGE }, 'image/jpeg': { schema: IMAGE } } })
  @ApiProblems(404)
  async getBillingLogo(@Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const { bytes, contentType } = await this.settings.logo();
    reply
      .header('content-type', contentType)
      .header('cache-control', 'private, no-cache')
      // Bytes an admin uploaded: never a page of ours.
      .header('content-security-policy', "default-src 'none'; sandbox");
    return new StreamableFile(bytes, { length: bytes.length });
  }

  @Delete('logo')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Remove the studio's logo", description: 'Documents are printed without one. 204 also when there was none.' })
  @ApiNoContentResponse({ description: 'Removed' })
  deleteBillingLogo(): Promise<void> {
    return this.settings.removeLogo();
  }
}
