/** The CLI's exit codes; documented in README.md. */
export const ExitCode = {
  passed: 0,
  scenarioFailed: 1,
  invalidInput: 2,
  infrastructure: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
