import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { InvitesController } from './invites.controller.js';
import { InvitesService } from './invites.service.js';

@Module({ imports: [AuthModule, MailModule], controllers: [InvitesController], providers: [InvitesService] })
export class InvitesModule {}
