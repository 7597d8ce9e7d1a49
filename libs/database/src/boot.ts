/** An error that already explains itself to an operator (bad config, unreachable store, domain rule). */
export function isExplained(error: unknown): error is Error {
  const code = (error as { code?: unknown })?.code;
  return error instanceof Error && typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code);
}

/**
 * Runs an app's `main`; a failure prints one clear line (the whole stack only for unexpected
 * errors) and exits 1, so a misconfigured process never hangs or half-starts.
 */
export function runOrExit(main: () => Promise<void>, label = '启动失败'): void {
  main().catch((error: unknown) => {
    if (isExplained(error)) console.error(`${label}：${error.message}`);
    else console.error(`${label}：`, error);
    process.exit(1);
  });
}
