/**
 * Prints one plain closing line, `tests: N passed, N failed`, after Jest's own summary, so CI logs can be
 * read by tools that look for that line.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
