/**
 * Prometheus metrics (issue 19). Other modules record through the one-line functions exported here;
 * see docs/architecture.md, "Operations", for the series and what each alert watches.
 */
export { countBooking, countCharge, countDelivery, countMessage, countReschedule, countStatusChange } from './business';
export { httpMetrics } from './http';
export { metricsHandler, renderMetrics } from './endpoint';
export { startMetricsServer } from './server';
export { installTemporalRuntime } from './temporal-runtime';
