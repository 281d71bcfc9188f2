import { Controller, Get, HttpStatus, Injectable, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { Client } from '../clients/client.entity.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ProblemException } from '../common/problem.js';
import { uuidParam } from '../common/uuid-param.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { ClientBalanceDto } from './dto/invoice.dto.js';
import { studioSettings, todayIn } from './invoice-pricing.js';

/** What a client owes, per currency: issued invoices' open balances, and the overdue part (studio's today). */
@Injectable()
export class ClientBalanceService {
  constructor(private readonly tenant: TenantConnection) {}

  async balance(clientId: string): Promise<ClientBalanceDto> {
    return this.tenant.run(async (m) => {
      if (!(await m.getRepository(Client).existsBy({ id: clientId }))) throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No client with this id in your studio.');
      const today = todayIn((await studioSettings(m)).timeZone);
      const rows = (await m.query(
        `SELECT btrim(currency) AS currency, sum(balance_minor)::bigint AS outstanding,
                COALESCE(sum(balance_minor) FILTER (WHERE due_date < $2), 0)::bigint AS overdue,
                to_char(min(due_date) FILTER (WHERE due_date < $2), 'YYYY-MM-DD') AS oldest,
                count(*) FILTER (WHERE due_date < $2)::int AS overdue_count
           FROM invoices
          WHERE client_id = $1 AND kind <> 'credit_note' AND status IN ('sent', 'partially_paid') AND balance_minor > 0
          GROUP BY btrim(currency) ORDER BY btrim(currency)`,
        [clientId, today],
      )) as Array<{ currency: string; outstanding: string; overdue: string; oldest: string | null; overdue_count: number }>;
      return {
        items: rows.map((r) => ({
          currency: r.currency,
          outstandingMinor: Number(r.outstanding),
          overdueMinor: Number(r.overdue),
          oldestOverdueDueDate: r.oldest,
          overdueInvoiceCount: r.overdue_count,
        })),
      };
    });
  }
}

@ApiTags('invoices')
@ApiCookieAuth()
@ApiProblems(401, 403, 503)
@Controller('api/v1/clients')
export class ClientBalanceController {
  constructor(private readonly balances: ClientBalanceService) {}

  @Get(':id/balance')
  @Access('admin')
  @ApiOperation({ summary: "A client's open and overdue balance per currency", description: 'Issued invoices and deposit invoices with a balance; overdue: due before today in the studio\u2019s time zone.' })
  @ApiOkResponse({ type: ClientBalanceDto })
  @ApiProblems(400, 404)
  getClientBalance(@Param('id', uuidParam) id: string): Promise<ClientBalanceDto> {
    return this.balances.balance(id);
  }
}
