import { ApiProperty } from '@nestjs/swagger';

export class TaxRateDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 100, example: 'VAT 20 %' })
  name: string;

  @ApiProperty({ maxLength: 8, pattern: '^\\d{1,3}(\\.\\d{1,4})?$', example: '20', description: 'Percent as exact decimal text (up to 4 decimals)' })
  ratePercent: string;

  @ApiProperty({ description: 'true: prices include this tax (carved out); false: it is added on top' })
  inclusive: boolean;

  @ApiProperty({ description: 'New invoice lines get this rate unless they name another (at most one)' })
  isDefault: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Archived rates stay on past documents but are offered no more' })
  archivedAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class TaxRateListDto {
  @ApiProperty({ type: [TaxRateDto], maxItems: 10000 })
  items: TaxRateDto[];
}
