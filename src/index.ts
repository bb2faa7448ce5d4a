/**
 * janus-scenarios as a library: load a suite, plan it, run it, and hear one stream of typed
 * events, as the command line does:
 *
 *   const suite = await loadSuite(['scenarios']);
 *   const plan = await planSuite(suite.scenarios, { transports: ['ws'] });
 *   const outcome = await runSuite(plan, { reporter: { onTestEnd: (e) => console.log(e.testId, e.result.status) } });
 *
 * Nothing here depends on mocha.
 */
export { loadSuite, type LoadedSuite, type LoadSuiteOptions } from './compile/load-suite.js';
export { planSuite, listing, InfrastructureError, DEFAULT_STEP_TIMEOUT_MS, DEFAULT_SCENARIO_TIMEOUT_MS, type Plan, type PlanSettings, type PlannedTest, type StartedPlan, type Attempt } from './plan/index.js';
export { runSuite, type SuiteOptions, type SuiteOutcome } from './suite/run-suite.js';
export { loadFiles, type LoadResult, type LoadOptions } from './compile/load-files.js';
export { collectFiles } from './load/collect.js';
export { renderDiagnostic, renderDiagnostics, type Diagnostic } from './core/diagnostic.js';
export type { SourceSpan } from './core/source.js';
export { ExitCode } from './core/exit-codes.js';
export type { CompiledScenario } from './compile/scenario.js';
export { runScenario, type RunTarget, type RunOptions } from './run/run-scenario.js';
export type { RunEvent, ScenarioResult, Failure, TranscriptEntry } from './run/events.js';
export { failureText } from './report/failure-text.js';
export type { SuiteEvent, TestInfo, RunBegin, TestBegin, StepBegin, MessageEvent, StepEnd, TestEnd, FaultEvent, InterruptEvent, RunEnd } from './events/events.js';
export { HANDLERS, type Reporter } from './events/reporter.js';
export { Multiplexer, type ReporterErrorHandler } from './events/multiplexer.js';
export { ReportBuilder, buildReport, type BuilderOptions } from './report/builder.js';
export { Redactor, REDACTED } from './report/redact.js';
export { registerReporter, registerLazyReporter, registerReportFormat, getReporter, loadReporter, reporterNames, type RegisteredReporter, type LoadedReporter, type ReporterOptions } from './reporters/registry.js';
export { registerBuiltinReporters } from './reporters/builtin.js';
export { FileReporter, fileReporter } from './reporters/file.js';
export type { ReportFormat, ReporterContext, ReporterFactory, TextSink } from './reporters/contract.js';
export { ConsoleReporter } from './reporters/console.js';
export { CoverageReporter } from './reporters/coverage.js';
export type { RunReport, ScenarioReport, ScenarioStatus, ReportedFailure, ReportedMessage } from './report/model.js';
export { JanusClient, type Exchange, type RequestOutcome } from './janus/client.js';
export type { JanusMessage, Route, JanusApi } from './protocol/messages.js';
export { registerTransport, registerBuiltinTransports, getTransport, transportNames } from './transports/registry.js';
export {
  TransportFault,
  type TransportDefinition,
  type TransportConnection,
  type TransportSink,
  type ConnectOptions,
  type TlsOptions,
  type PollAuth,
  type ManagedTransport,
  type ManagedContext,
  type ManagedSetup,
  type JcfgSections,
} from './transports/contract.js';
export { registerStepKind, getStepKind, stepKinds } from './steps/registry.js';
export type { StepKind, CompiledStep, StepContext } from './steps/contract.js';
export { registerOperator, getOperator, operatorNames } from './match/registry.js';
export type { OperatorDefinition, Matcher, DescribedMatcher, MatchRuntime, Mismatch } from './match/contract.js';
export { described } from './match/contract.js';
export { startJanus, stopAllJanus, type ManagedJanus, type JanusNeeds } from './managed/index.js';
export { knownSchema, validateSchema } from './schemas/catalogue.js';
export { CATALOGUE_ERROR_CODES } from './schemas/error-names.js';
export type { ErrorCodeNames } from './match/compile-pattern.js';
export { scenarioSchema, fragmentSchema } from './compile/scenario-schema.js';
