import { Module } from '@nestjs/common';
import { BackgroundMail } from './background-mail.service.js';
import { MailOutbox } from './mail-outbox.service.js';

@Module({ providers: [MailOutbox, BackgroundMail], exports: [MailOutbox, BackgroundMail] })
export class MailModule {}
