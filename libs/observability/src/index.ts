export * from './trace-context.js';
export * from './metrics-registry.js';
export * from './request-context.js';
export * from './service-logger.js';
export * from './health-probe.js';
export * from './http-metrics.js';
export * from './observability.module.js';
export * from './service-log-routing.js';
