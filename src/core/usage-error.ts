/** Bad usage (an unknown option, transport or address): one line, exit 2, before any network I/O. */
export class UsageError extends Error {}
