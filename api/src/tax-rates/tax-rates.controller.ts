import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { TaxRateDto, TaxRateListDto } from './dto/tax-rate.dto.js';
import { CreateTaxRateDto, ListTaxRatesQueryDto, UpdateTaxRateDto } from './dto/tax-rate-input.dto.js';
import { TaxRatesService } from './tax-rates.service.js';

// Issue 11, settlements: money routes are for admins (reads included).
@ApiTags('tax-rates')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Access('admin')
@Controller('api/v1/tax-rates')
export class TaxRatesController {
  constructor(private readonly rates: TaxRatesService) {}

  @Get()
  @ApiOperation({ summary: "The studio's tax rates, by name", description: 'Archived rates only with `includeArchived=true`.' })
  @ApiOkResponse({ type: TaxRateListDto })
  @ApiProblems(400)
  listTaxRates(@Query() query: ListTaxRatesQueryDto): Promise<TaxRateListDto> {
    return this.rates.list(query.includeArchived === 'true');
  }

  @Post()
  @ApiOperation({
    summary: 'Add a tax rate',
    description: '`ratePercent` is decimal text between 0 and 100 with at most 4 decimals. `isDefault: true` makes it the default (the previous default stops being one, in the same transaction).',
  })
  @ApiCreatedResponse({ type: TaxRateDto })
  @ApiProblems(400)
  createTaxRate(@Body() dto: CreateTaxRateDto): Promise<TaxRateDto> {
    return this.rates.create(dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a tax rate',
    description: 'Only the fields sent change; issued documents keep the copy their lines took. `archived: true` archives it (no longer the default); an archived rate cannot be made the default (400).',
  })
  @ApiOkResponse({ type: TaxRateDto })
  @ApiProblems(400, 404)
  updateTaxRate(@Param('id', uuidParam) id: string, @Body() dto: UpdateTaxRateDto): Promise<TaxRateDto> {
    return this.rates.update(id, dto);
  }
}
