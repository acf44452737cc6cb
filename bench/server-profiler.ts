// Loaded into the benchmarked server with NODE_OPTIONS=--import (Node refuses --cpu-prof there): runs
// the V8 CPU profiler in-process and, on each SIGUSR2, writes the profile so far plus a memory
// breakdown taken after a forced collection, then starts a fresh profile for the next phase.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const directory = process.env.SKIFF_BENCH_PROFILE_DIR;
if (directory !== undefined && directory !== '') {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const session = new Session();
  session.connect();
  // The in-process session answers synchronously, which is what lets `exit` still save a profile.
  const post = (method: string, params?: object): unknown => {
    let answer: unknown;
    session.post(method, params ?? {}, (error, result) => {
      if (error) throw error;
      answer = result;
    });
    return answer;
  };
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: 200 });
  post('Profiler.start');
  let sequence = 0;
  const save = () => {
    const result = post('Profiler.stop') as { profile: unknown } | undefined;
    sequence++;
    if (result !== undefined) writeFileSync(path.join(directory, `${sequence}.cpuprofile`), JSON.stringify(result.profile));
    collect();
    const memory = { ...process.memoryUsage() };
    writeFileSync(path.join(directory, `${sequence}.memory.json`), JSON.stringify(memory));
    post('Profiler.start');
  };
  process.on('SIGUSR2', save);
  process.once('exit', () => {
    post('Profiler.stop');
  });
}
