/**
 * A tiny leveled logger used until the logging configuration lands; writes
 * to stderr. Named loggers mirror Django's (`reinhardt.db.backends`, …).
 */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Returns the logger called `name`. */
export function getLogger(name: string): Logger {
  return {
    error(message, error) {
      const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : '';
      process.stderr.write(`[${name}] ERROR ${message}${detail}\n`);
    },
    warn(message) {
      process.stderr.write(`[${name}] WARNING ${message}\n`);
    },
    debug(message) {
      if (process.env.REINHARDT_DEBUG_LOG) process.stderr.write(`[${name}] DEBUG ${message}\n`);
    },
  };
}
