// Entry point of `npm run bench -- <name>`: runs one benchmark by name against a freshly built tree
// and exits non-zero when it misses a target or cannot run.
import { runApiBench } from './api.js';
import { runScaleBench } from './scale.js';
import { runSchedulerBench } from './scheduler.js';

const benches: Readonly<Record<string, () => Promise<number>>> = {
  api: () => runApiBench(),
  'watch-fanout': () => runApiBench({ fanoutOnly: true }),
  scale: runScaleBench,
  scheduler: runSchedulerBench,
};

async function main(argv: readonly string[]): Promise<number> {
  const names = Object.keys(benches).join(', ');
  const name = argv[0];
  const bench = name === undefined ? undefined : benches[name];
  if (bench === undefined || argv.length > 1) {
    process.stderr.write(
      `${name === undefined ? 'no benchmark named' : `unknown benchmark ${JSON.stringify(argv.join(' '))}`}; choose one of: ${names} (npm run bench -- <name>)\n`,
    );
    return 2;
  }
  try {
    return await bench();
  } catch (error) {
    process.stderr.write(`bench ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
