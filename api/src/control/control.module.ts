import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE, openControlDatabase } from './control-database.js';

/** The control database connection, opened and migrated before anything else starts. */
@Global()
@Module({
  providers: [{ provide: CONTROL_DATA_SOURCE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openControlDatabase(config) }],
  exports: [CONTROL_DATA_SOURCE],
})
export class ControlModule implements OnApplicationShutdown {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.control.isInitialized) await this.control.destroy();
  }
}
