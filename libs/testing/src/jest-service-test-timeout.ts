// Loaded by jest before every integration and e2e test file (`setupFiles` of those projects in
// jest.config.js). They start real services against PostgreSQL and Kafka; starting or closing one
// (consumer groups joining and leaving) can take more than jest's default 5 s on a busy 2-core
// machine. A per-project `testTimeout` in jest.config.js looks like the place for this, but
// jest-circus reads only the global one, so those projects silently ran with 5 s. Behaviour is
// asserted, never time: the timeout only keeps a hung test from hanging the run.
import { jest } from '@jest/globals';

jest.setTimeout(30_000);
