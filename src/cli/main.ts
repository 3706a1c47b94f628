import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../version.js';
import { CliError, type GatewayTarget } from './gateway-client.js';
import { createOutput, type Output } from './output.js';
import { publishOne, publishStream, type PublishOptions } from './publish.js';
import { listStreams, listTypes } from './registry-views.js';
import { tail } from './tail.js';
import { issueToken, revokeToken } from './tokens.js';

/** Exit codes: 1 for an error the gateway or the network reported, 2 for a wrong command line. */
const EXIT_ERROR = 1;
const EXIT_USAGE = 2;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The `streamgate` command (shared/API.md "Command line"). Resolves with the exit code. */
export async function run(
  argv: readonly string[],
  output: Output = createOutput(),
): Promise<number> {
  const program = new Command('streamgate')
    .description('Streamgate: publish and follow events through the gateway, manage tokens.')
    .version(VERSION)
    .addOption(
      new Option('--url <url>', 'the gateway')
        .env('STREAMGATE_URL')
        .default('http://localhost:4000'),
    )
    .addOption(new Option('--token <token>', 'the bearer token').env('STREAMGATE_TOKEN'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const target = (command: Command): GatewayTarget => {
    const { url, token } = command.optsWithGlobals<{ url: string; token?: string }>();
    return { url: url.replace(/\/+$/, ''), token };
  };

  program
    .command('serve')
    .description('run the gateway, configured by the environment (what `npm start` runs)')
    .action(async () => {
      // The gateway's own entry point: it starts on import and runs until a signal stops it.
      await import('../main.js');
      await new Promise<never>(() => {});
    });

  program
    .command('tail')
    .description('follow streams live; resumes by itself after a dropped connection')
    .argument('<stream...>', 'streams to follow')
    .option('--type <type>', "an event type, or a prefix ending in '*' (repeatable)", collect)
    .option(
      '--where <path=value>',
      'only events whose data has this value at path (repeatable)',
      collect,
    )
    .option('--from <position>', 'earliest, latest, a cursor, or an RFC 3339 time', 'latest')
    .action(
      async (
        streams: string[],
        options: { type?: string[]; where?: string[]; from: string },
        command: Command,
      ) => {
        const stop = new AbortController();
        const onSignal = () => {
          if (stop.signal.aborted) process.exit(130);
          stop.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          await tail(
            target(command),
            {
              streams,
              ...(options.type ? { types: options.type } : {}),
              ...(options.where ? { where: options.where } : {}),
              from: options.from,
              signal: stop.signal,
            },
            output,
          );
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      },
    );

  program
    .command('publish')
    .description('publish an event; with - (or no data and piped input), one event per NDJSON line')
    .argument('<type>', 'the event type, e.g. app.created')
    .argument('[json]', 'the event data as JSON, or - to read NDJSON from stdin')
    .option(
      '--resource-id <id>',
      'the resource the event is about (CloudEvents subject, the Kafka key)',
    )
    .option('--tenant <tenant>', 'the owning account')
    .option('--source <source>', 'who published (default: the token’s name)')
    .option('--id <id>', 'the event id (default: made by the gateway)')
    .option('--time <time>', 'when it happened, RFC 3339 (default: now)')
    .option('--events', 'NDJSON lines are whole events { data, resourceId?, … } rather than data')
    .action(
      async (type: string, json: string | undefined, options: PublishOptions, command: Command) => {
        if (json === undefined && process.stdin.isTTY) {
          throw new CliError(
            'USAGE',
            'give the event data as JSON, or - to read NDJSON from stdin',
          );
        }
        if (json === undefined || json === '-') {
          await publishStream(target(command), type, process.stdin, options, output);
        } else {
          await publishOne(target(command), type, json, options, output);
        }
      },
    );

  program
    .command('streams')
    .description('list the streams the token may see')
    .action((_options: unknown, command: Command) => listStreams(target(command), output));

  program
    .command('types')
    .description('list the event types the token may see, of one stream or all')
    .argument('[stream]')
    .action((stream: string | undefined, _options: unknown, command: Command) =>
      listTypes(target(command), stream, output),
    );

  const token = program.command('token').description('issue and revoke tokens');
  token
    .command('issue')
    .description('issue a token; it is shown this once')
    .requiredOption('--name <name>', 'who the token is for')
    .requiredOption(
      '--grant <stream:ops[:types]>',
      'e.g. platform:subscribe or "team-a.*:publish,subscribe:order.*" (repeatable)',
      collect,
    )
    .option(
      '--tenant <tenant>',
      "a public consumer's tenant: it sees and writes only its own events",
    )
    .option('--expires <time>', 'an RFC 3339 time, or a duration from now: 30m, 12h, 7d')
    .action(
      (
        options: { name: string; grant: string[]; tenant?: string; expires?: string },
        command: Command,
      ) =>
        issueToken(
          target(command),
          {
            name: options.name,
            grants: options.grant,
            ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
            ...(options.expires === undefined ? {} : { expires: options.expires }),
          },
          output,
        ),
    );
  token
    .command('revoke')
    .description('revoke a token at once, on every instance')
    .argument('<id>')
    .action((id: string, _options: unknown, command: Command) =>
      revokeToken(target(command), id, output),
    );

  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here too, successfully; commander printed the rest already.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    return reportError(error, output);
  }
}

/** Prints `CODE: message` (and the failing paths of VALIDATION_FAILED) on stderr. */
function reportError(error: unknown, output: Output): number {
  if (!(error instanceof CliError)) {
    output.note(
      `${output.paint('red', 'error:')} ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT_ERROR;
  }
  const problems = error.extensions['errors'];
  const listed = Array.isArray(problems) ? (problems as { path?: string; message?: string }[]) : [];
  // The message lists the first problems itself; the list below has them all, one a line.
  const first = listed[0] ? error.message.indexOf(`: ${listed[0].path}`) : -1;
  const message = first > 0 ? `${error.message.slice(0, first)}:` : error.message;
  const label = error.code === 'USAGE' ? 'error' : error.code;
  output.note(`${output.paint(['bold', 'red'], label)}: ${message}`);
  {
    for (const problem of listed) {
      output.note(`  ${output.paint('yellow', problem.path || '(data)')} ${problem.message ?? ''}`);
    }
  }
  return error.code === 'USAGE' ? EXIT_USAGE : EXIT_ERROR;
}

// `streamgate …` (bin/streamgate.js imports this module).
process.exitCode = await run(process.argv);
