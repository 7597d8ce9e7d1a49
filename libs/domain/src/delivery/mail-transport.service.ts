import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@duban/config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Deterministic per delivery, so a receiver can drop a mail it already has. */
  messageId: string;
  headers: Record<string, string>;
}

/** SMTP through nodemailer, one connection per message (a failing server does not poison a pool). */
@Injectable()
export class MailTransportService implements OnApplicationShutdown {
  private transporter: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The domain part of MAIL_FROM, for Message-IDs. */
  get domain(): string {
    const address = /<([^>]+)>/.exec(this.config.mail.from)?.[1] ?? this.config.mail.from;
    return address.includes('@') ? address.split('@').pop()!.trim() : 'duban.local';
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.config.mail.smtpUrl) throw new Error('未配置 SMTP_URL');
    this.transporter ??= createTransport({ url: this.config.mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    await this.transporter.sendMail({ from: this.config.mail.from, ...mail });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
