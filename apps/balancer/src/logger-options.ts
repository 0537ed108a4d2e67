import type { Params } from 'nestjs-pino';

/**
 * Logs through pino: pretty in a terminal, JSON lines otherwise. No per-request logging: the
 * proxy path reports through metrics; only admin requests pass through pino-http, quietly.
 */
export function loggerOptions(level: string): Params {
  return {
    pinoHttp: {
      level,
      autoLogging: false,
      quietReqLogger: true,
      base: undefined,
      transport: process.stdout.isTTY
        ? {
            target: 'pino-pretty',
            options: {
              singleLine: true,
              translateTime: 'HH:MM:ss.l',
              ignore: 'pid,hostname,context',
              messageFormat: '[{context}] {msg}',
            },
          }
        : undefined,
    },
  };
}
