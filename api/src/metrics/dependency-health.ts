import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.registry.js';

export type Dependency = 'control' | 'tenant';

/**
 * Outages of the databases the API depends on, as state changes: an outage is logged once when it
 * starts and once when it ends (per dependency; per studio for tenant databases), and every failed
 * request is counted, instead of one error with a stack per request (~13,000 lines in 20 s before).
 */
@Injectable()
export class DependencyHealth {
  private readonly logger = new Logger('DependencyHealth');
  private readonly errors: Counter<'dependency'>;
  private readonly up: Gauge<'dependency'>;
  private readonly unreachableTenants: Gauge;
  private controlDown = false;
  private readonly tenantsDown = new Set<string>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.errors = new Counter({
      name: 'rsm_dependency_errors_total',
      help: 'Requests that failed because a database was unreachable, by dependency',
      labelNames: ['dependency'],
      registers: [registry],
    });
    this.up = new Gauge({
      name: 'rsm_dependency_up',
      help: '1 when the dependency answered last time it was used (tenant: every studio database), else 0',
      labelNames: ['dependency'],
      registers: [registry],
    });
    this.unreachableTenants = new Gauge({
      name: 'rsm_tenant_databases_unreachable',
      help: 'Studio databases whose last use failed because the database was unreachable',
      registers: [registry],
    });
    for (const dependency of ['control', 'tenant'] as const) {
      this.errors.inc({ dependency }, 0);
      this.up.set({ dependency }, 1);
    }
  }

  /** A request failed because `dependency` (for tenants: studio `tenantId`'s database) is unreachable. */
  failed(dependency: Dependency, detail: Record<string, unknown>, tenantId?: string): void {
    this.errors.inc({ dependency });
    if (dependency === 'control') {
      if (this.controlDown) return;
      this.controlDown = true;
      this.up.set({ dependency }, 0);
      this.logger.error({ dependency, ...detail }, 'The control database is unreachable; requests get 503 until it is back (counted in rsm_dependency_errors_total)');
      return;
    }
    if (!tenantId || this.tenantsDown.has(tenantId)) return;
    this.tenantsDown.add(tenantId);
    this.refreshTenantGauges();
    this.logger.warn({ dependency, tenantId, ...detail }, 'A studio database is unreachable; its requests get 503 until it is back');
  }

  /**
   * Background work (no request) met the control database unreachable: the same outage as the requests
   * meet, logged once with theirs (whichever comes first), and not counted as a failed request.
   */
  backgroundFailed(detail: Record<string, unknown>): void {
    if (this.controlDown) return;
    this.controlDown = true;
    this.up.set({ dependency: 'control' }, 0);
    this.logger.error({ dependency: 'control', ...detail }, 'The control database is unreachable; requests get 503 until it is back (counted in rsm_dependency_errors_total)');
  }

  /** `dependency` answered a request: ends an outage if there was one. */
  succeeded(dependency: Dependency, tenantId?: string): void {
    if (dependency === 'control') {
      if (!this.controlDown) return;
      this.controlDown = false;
      this.up.set({ dependency }, 1);
      this.logger.log({ dependency }, 'The control database is reachable again');
      return;
    }
    if (!tenantId || !this.tenantsDown.delete(tenantId)) return;
    this.refreshTenantGauges();
    this.logger.log({ dependency, tenantId }, 'A studio database is reachable again');
  }

  /** Cheap check for the per-response hook: is any outage open? */
  get anyDown(): boolean {
    return this.controlDown || this.tenantsDown.size > 0;
  }

  private refreshTenantGauges(): void {
    this.unreachableTenants.set(this.tenantsDown.size);
    this.up.set({ dependency: 'tenant' }, this.tenantsDown.size ? 0 : 1);
  }
}
