// Loaded by jest before every test file (`setupFiles` in jest.config.js). Components that a test
// builds without a whole service (a Kafka bus in a contract test, a consumer server, a responder's
// start-up) log through Nest's static `Logger`, whose default ConsoleLogger writes coloured lines
// into jest's output, where they read like failures of passing tests. Services started by
// `startTestService` replace that logger with their own pino logger (`app.useLogger`), so this
// only silences the stand-alone ones. `TEST_LOGS=1` keeps them, for a debugging session.
import { Logger } from '@nestjs/common';

if (process.env.TEST_LOGS !== '1') Logger.overrideLogger(false);
