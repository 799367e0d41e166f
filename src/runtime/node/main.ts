/**
 * The `gproxy` command line: serve (default), import, export, generate-key.
 * Returns the process exit code; nothing happens at import time.
 */
import { generateUserKey } from '../../core/ids';
import { exportCommand, importCommand } from './bundle-commands';
import { parseCommandLine, serveConfig, USAGE, type ParsedCommandLine } from './config';
import { createPinoLogger } from './pino-logger';
import { startGateway } from './server';

export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`gproxy: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.flags.help === true || parsed.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    switch (parsed.command) {
      case 'serve':
        return await serve(parsed);
      case 'import':
        return await importCommand(parsed.flags, process.env);
      case 'export':
        return await exportCommand(parsed.flags, process.env);
      case 'generate-key':
        process.stdout.write(`${generateUserKey()}\n`);
        return 0;
      default:
        process.stderr.write(`gproxy: unknown command '${parsed.command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`gproxy: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function serve(parsed: ParsedCommandLine): Promise<number> {
  const config = serveConfig(parsed.flags, process.env);
  const logger = createPinoLogger(config.logLevel);
  const gateway = await startGateway(config, {
    logger,
    announce: (line) => process.stdout.write(`${line}\n`),
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'signal received');
    void gateway.stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await gateway.stopped;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return 0;
}
