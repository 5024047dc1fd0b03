import { KafkaMessageBus } from './kafka-message-bus.js';
import { messageBusContract } from '../test/message-bus.contract.js';
import { testKafkaBrokerList } from '@darvazeh/testing';

messageBusContract(
  'kafka',
  async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokerList(), clientId: 'contract-test' });
    return { bus, hasTopic: (name) => bus.hasTopic(name) };
  },
  90_000,
);
