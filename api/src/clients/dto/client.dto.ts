import { ApiProperty } from '@nestjs/swagger';

export class ClientDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'The Midnight Owls' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'band@owls.test' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+44 20 7946 0000' })
  phone: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Owl Records' })
  company: string | null;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ClientListDto {
  @ApiProperty({ type: [ClientDto] })
  items: ClientDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
