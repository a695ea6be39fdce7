/** Keeps Temporal's worker logs to warnings and errors in test output. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
