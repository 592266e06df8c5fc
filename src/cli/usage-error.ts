/** A mistake in the command line, reported as one line and exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}
