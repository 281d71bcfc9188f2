import { type DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuthModule } from './auth/auth.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ControlModule } from './control/control.module.js';
import { HealthController } from './health/health.controller.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { TenancyModule } from './tenancy/tenancy.module.js';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** Honours a caller's X-Request-Id (load balancer, client) when it is sane; otherwise makes one. */
export function requestIdFrom(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern does not match under Nest 12's Fastify adapter.
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
          assignResponse: true,
          pinoHttp: {
            level: config.logLevel,
            // The id Fastify gave the request (see requestIdFrom), so logs and problem bodies agree.
            genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestIdFrom(req),
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            ...(config.env === 'development' && process.stdout.isTTY
              ? { transport: { target: 'pino-pretty', options: { singleLine: true } } }
              : {}),
          },
        }),
        MetricsModule,
        ControlModule,
        TenancyModule,
        AuthModule,
        ClientsModule,
        JobsModule,
      ],
      controllers: [HealthController],
    };
  }
}
