// The node agent's place in `skiff server`: the agent (pods on this machine, kubelet-style) is not
// built yet, so this slot only says so in the log; --disable-agent leaves it out, as in k3s.
import type { Component } from '../../component/index.js';
import { log } from '../../log/index.js';
import type { ServerDeps } from './server-deps.js';

export const agentComponent: Component<ServerDeps> = {
  name: 'agent',
  start() {
    log.info('No node agent yet: this server runs no pods on this machine (--disable-agent silences this)');
    return Promise.resolve({});
  },
};
