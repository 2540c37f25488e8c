import { startGateway, type RunningGateway } from '../test/support/supergraph';
import type { GatewayMessage, GatewayReply } from './messages';

/* The Node gateway in a process of its own, as it would run in front of the subgraphs. */

let gateway: RunningGateway | null = null;

function reply(message: GatewayReply): void {
  process.send?.(message);
}

process.on('message', (message: GatewayMessage) => {
  switch (message.kind) {
    case 'start':
      void startGateway(message.supergraphSdl).then((started) => {
        gateway = started;
        reply({ kind: 'started', url: started.url });
      });
      break;
    case 'stop':
      void (gateway?.stop() ?? Promise.resolve()).then(() => {
        reply({ kind: 'stopped' });
        process.exit(0);
      });
      break;
  }
});
