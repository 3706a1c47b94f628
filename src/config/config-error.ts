/** One bad setting: the variable and what is wrong with it, never its secret value. */
export interface ConfigIssue {
  readonly variable: string;
  readonly problem: string;
}

/**
 * A bad environment stops start-up with this error. Its message has one line per bad variable
 * (`PORT: expected an integer from 1 to 65535, got "abc"`), so `main` can print it as it is.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => `${issue.variable}: ${issue.problem}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
