import { InProcessMessageBus } from './in-process-message-bus.js';
import { messageBusContract } from '../test/message-bus.contract.js';

messageBusContract('in-process', async () => {
  const bus = new InProcessMessageBus({ redeliveryDelayMs: 10 });
  return { bus, hasTopic: async (name) => bus.hasTopic(name) };
});
