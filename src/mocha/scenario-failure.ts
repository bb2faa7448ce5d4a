/** Mocha prints the message of a failed test's error; a stack would only show our internals. */
export class ScenarioFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'ScenarioFailure';
    this.stack = `${this.name}: ${text}`;
  }
}
