import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto } from '../../common/pagination.js';

export class ClientDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200, example: 'The Midnight Owls' })
  name: string;

  @ApiProperty({ type: String, format: 'email', nullable: true, maxLength: 320, example: 'band@owls.test' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 50, example: '+44 20 7946 0000' })
  phone: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 200, example: 'Owl Records' })
  company: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  notes: string | null;

  // Issue 11, invoices.
  @ApiProperty({ type: String, nullable: true, maxLength: 2000 })
  billingAddress: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 50 })
  taxId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ClientListDto extends PagedListDto(ClientDto) {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647, description: 'How many clients match `q` in all (every page says the same)' })
  total: number;
}
