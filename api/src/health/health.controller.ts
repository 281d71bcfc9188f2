import { Controller, Get, HttpStatus, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ShutdownState } from '../common/graceful-shutdown.js';
import { ProblemException } from '../common/problem.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { logSafeError } from '../common/log-safe-error.js';
import { DependencyHealth } from '../metrics/dependency-health.js';

export class HealthDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: string;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly dependencies: DependencyHealth,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up', description: 'Touches no dependency: for liveness probes.' })
  @ApiOkResponse({ type: HealthDto })
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The control database answers; safe to route traffic here',
    description: 'A 503 problem while the control database is unreachable or the instance is shutting down: for readiness probes.',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiProblems(503)
  async ready(): Promise<HealthDto> {
    // Issue 8: a draining instance takes no new traffic (a proxy still connected learns it here).
    if (this.shutdown.draining) throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'not-ready', 'The instance is shutting down.');
    try {
      await this.control.query('SELECT 1');
      this.dependencies.succeeded('control');
      return { status: 'ok' };
    } catch (err) {
      // Probed every few seconds: an outage is logged once (DependencyHealth), not per probe.
      this.dependencies.failed('control', { error: logSafeError(err) });
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'not-ready', 'The control database is unreachable.');
    }
  }
}
