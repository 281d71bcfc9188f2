import { Controller, Get, HttpStatus, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { PortalSessions } from '../auth/portal-sessions.service.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ProblemException } from '../common/problem.js';
import { TenantDataSources } from '../tenancy/tenant-data-sources.service.js';
import { PortalBrandingDto } from './dto/portal-branding.dto.js';
import { slugOf, StudioSlugParam } from './studio-slug.js';

const IMAGE = { type: 'string', format: 'binary', maxLength: 524288 };
const noStudio = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No studio with this address.');
const noLogo = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'The studio has no logo.');

/**
 * Issue 12: the studio's name and logo for the portal's header, public under the slug (the sign-in
 * page shows them too). They are what every invoice of the studio prints, nothing more: the logo is
 * the billing settings' one. Under `{studioSlug}/auth/`, the public namespace of a studio's portal: a
 * two-segment `{studioSlug}/branding` would be shadowed by `invoices/{id}` for a studio named "Invoices".
 */
@ApiTags('portal')
@Public()
@Controller('api/v1/portal/:studioSlug')
export class PortalBrandingController {
  constructor(
    private readonly sessions: PortalSessions,
    private readonly dataSources: TenantDataSources,
  ) {}

  @Get('auth/branding')
  @StudioSlugParam()
  @ApiOperation({ summary: "The studio's name and logo for the portal", description: 'Public. An unknown studio is a 404.' })
  @ApiOkResponse({ type: PortalBrandingDto })
  @ApiProblems(400, 404)
  async getPortalBranding(@Param('studioSlug') studioSlug: string): Promise<PortalBrandingDto> {
    const studio = await this.sessions.studioBySlug(slugOf(studioSlug));
    if (!studio) throw noStudio();
    const hasLogo = await this.dataSources.withTenant(studio.id, async (ds) => (await ds.query(`SELECT 1 FROM billing_settings WHERE id = 1 AND logo IS NOT NULL`)).length > 0);
    return { name: studio.name, slug: studio.slug, logoUrl: hasLogo ? `/api/v1/portal/${studio.slug}/auth/branding/logo` : null };
  }

  @Get('auth/branding/logo')
  @StudioSlugParam()
  @ApiOperation({ summary: "The studio's logo, for the portal's header", description: 'Public. PNG or JPEG; 404 when the studio or its logo does not exist.' })
  @ApiResponse({ status: 200, description: 'The image', content: { 'image/png': { schema: IMAGE }, 'image/jpeg': { schema: IMAGE } } })
  @ApiProblems(400, 404)
  async getPortalLogo(@Param('studioSlug') studioSlug: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const studio = await this.sessions.studioBySlug(slugOf(studioSlug));
    if (!studio) throw noStudio();
    const [row] = (await this.dataSources.withTenant(studio.id, (ds) => ds.query(`SELECT logo, logo_content_type FROM billing_settings WHERE id = 1`))) as Array<{ logo: Buffer | null; logo_content_type: string | null }>;
    if (!row?.logo || !row.logo_content_type) throw noLogo();
    reply
      .header('content-type', row.logo_content_type)
      .header('cache-control', 'public, max-age=300')
      // Bytes an admin uploaded: never a page of ours.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-type-options', 'nosniff');
    return new StreamableFile(row.logo, { length: row.logo.length });
  }
}
