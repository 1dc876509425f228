// Outgoing e-mail: survey invitations, reminders and follow-up notices, over SMTP (nodemailer, `SMTP_URL`).
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** The From address of every message. */
  readonly from: string;
  /** Sends one message; rejects when the SMTP server refuses it. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export const DEFAULT_FROM = 'Fidelio <surveys@fidelio.local>';

/**
 * A mailer for `smtpUrl` (smtp://user:pass@host:port, smtps://… for TLS), sending from `from`.
 * @example smtpMailer('smtp://127.0.0.1:2525', 'Acme <cs@acme.example>')
 */
export function smtpMailer(smtpUrl: string, from: string = DEFAULT_FROM): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    from,
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

/** The mailer `SMTP_URL` (and `SMTP_FROM`) describe, or null when e-mail is not configured. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | null {
  const url = env.SMTP_URL?.trim();
  return url ? smtpMailer(url, env.SMTP_FROM?.trim() || DEFAULT_FROM) : null;
}
