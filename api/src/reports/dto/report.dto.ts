import { ApiProperty } from '@nestjs/swagger';

export class RevenueRowDto {
  @ApiProperty({ description: 'YYYY-MM (month), a room id, an engineer user id, or "other" (lines not linked to a booking)', maxLength: 36 })
  key: string;

  @ApiProperty({ description: 'The month, the room or engineer name, or "Other"', maxLength: 200 })
  label: string;

  @ApiProperty({ description: 'Net of tax: issued invoices and deposit invoices, less deducted deposits, less issued credit notes (minor units)' })
  invoicedNetMinor: number;

  @ApiProperty({ description: 'Received, less refunds (tax included, minor units)' })
  paidMinor: number;
}

export class RevenueTotalsDto {
  @ApiProperty()
  invoicedNetMinor: number;

  @ApiProperty()
  paidMinor: number;
}

export class RevenueCurrencyDto {
  @ApiProperty({ example: 'EUR', minLength: 3, maxLength: 3, description: 'ISO 4217: figures of different currencies are never added together' })
  currency: string;

  @ApiProperty({ type: [RevenueRowDto], maxItems: 10_000 })
  rows: RevenueRowDto[];

  @ApiProperty({ type: RevenueTotalsDto })
  totals: RevenueTotalsDto;
}

export class RevenueReportDto {
  @ApiProperty({ format: 'date', maxLength: 10 })
  from: string;

  @ApiProperty({ format: 'date', maxLength: 10 })
  to: string;

  @ApiProperty({ enum: ['month', 'room', 'engineer'], enumName: 'RevenueGroup' })
  groupBy: 'month' | 'room' | 'engineer';

  @ApiProperty({ type: [RevenueCurrencyDto], maxItems: 200, description: 'One entry per currency with figures in the range (none: empty)' })
  currencies: RevenueCurrencyDto[];
}

export class AgingBucketsDto {
  @ApiProperty({ description: 'Not yet due (or no due date)' })
  currentMinor: number;

  @ApiProperty({ description: '1 to 30 days past due' })
  days1To30Minor: number;

  @ApiProperty({ description: '31 to 60 days past due' })
  days31To60Minor: number;

  @ApiProperty({ description: '61 to 90 days past due' })
  days61To90Minor: number;

  @ApiProperty({ description: 'More than 90 days past due' })
  over90Minor: number;
}

export class ReceivablesTotalsDto {
  @ApiProperty({ description: 'Sum of the open balances' })
  outstandingMinor: number;

  @ApiProperty({ description: 'The part of it past its due date' })
  overdueMinor: number;

  @ApiProperty({ type: AgingBucketsDto })
  aging: AgingBucketsDto;
}

export class ReceivablesClientDto extends ReceivablesTotalsDto {
  @ApiProperty({ format: 'uuid' })
  clientId: string;

  @ApiProperty({ maxLength: 200 })
  clientName: string;

  @ApiProperty({ description: 'Issued invoices with a balance' })
  invoiceCount: number;
}

export class ReceivablesCurrencyDto {
  @ApiProperty({ example: 'EUR', minLength: 3, maxLength: 3 })
  currency: string;

  @ApiProperty({ type: [ReceivablesClientDto], maxItems: 100_000, description: 'Largest outstanding first' })
  clients: ReceivablesClientDto[];

  @ApiProperty({ type: ReceivablesTotalsDto })
  totals: ReceivablesTotalsDto;
}

export class ReceivablesReportDto {
  @ApiProperty({ format: 'date', maxLength: 10, description: "Today in the studio's time zone: days past due count from it" })
  asOf: string;

  @ApiProperty({ type: [ReceivablesCurrencyDto], maxItems: 200 })
  currencies: ReceivablesCurrencyDto[];
}

export class UtilisationRoomDto {
  @ApiProperty({ format: 'uuid' })
  roomId: string;

  @ApiProperty({ maxLength: 200 })
  roomName: string;

  @ApiProperty({ description: 'Booked minutes in the range (sessions not cancelled nor no-show, clipped to the range)' })
  bookedMinutes: number;

  @ApiProperty({ description: 'Open minutes in the range (opening hours in the studio time zone, real elapsed time across DST)' })
  openMinutes: number;

  @ApiProperty({ type: Number, nullable: true, description: 'booked / open, 4 decimals (can exceed 1: sessions outside opening hours); null when never open' })
  ratio: number | null;
}

export class UtilisationReportDto {
  @ApiProperty({ format: 'date', maxLength: 10 })
  from: string;

  @ApiProperty({ format: 'date', maxLength: 10 })
  to: string;

  @ApiProperty({ example: 'Europe/Paris', maxLength: 64 })
  timeZone: string;

  @ApiProperty({ type: [UtilisationRoomDto], maxItems: 10_000, description: 'Active rooms, and inactive ones with sessions in the range; by name' })
  rooms: UtilisationRoomDto[];
}
