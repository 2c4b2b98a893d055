// Public surface of the simulation core (pure: no I/O, no React).
export * from './model.js';
export * from './types.js';
export { Engine, sharedCount, resolveCosts } from './engine.js';
export type { EngineOptions } from './engine.js';
export { simulate, counterexample, reproduces, traceScript, resultOf, meanMetrics } from './run.js';
export type { SimulateOptions } from './run.js';
export { exhaustiveCheck, DEFAULT_SMALL } from './exhaustive.js';
export type { SmallConfig, ExhaustiveResult } from './exhaustive.js';
export { PROGRAMS, workloadPath, pathSites } from './workloads/index.js';
export type { Machine, PathStep, Sink, WorkloadOption, WorkloadPath, WorkloadProgram } from './workloads/index.js';
