/**
 * Janus log lines that show a transport lost a start-up race inside Janus (`flakyStart` in the
 * transport contract): in one module of their own, so the registry knows them before the
 * transport's module is loaded.
 */

// janus_pfunix.c starts its thread before it sets `initialized`, and the thread loops only
// while that is set: when the thread wins the race it ends at once, leaving sockets nobody reads.
export const UNIX_THREAD_ENDED = /^Unix Sockets thread ended/;

// janus_nanomsg.c starts its thread before it sets `initialized`, and the thread loops only
// while that is set: when the thread runs first it ends at once and nothing is served
// (Janus 1.1.2 to 1.4.1; seen in about half the starts on a busy machine).
export const NANOMSG_THREAD_ENDED = /^Nanomsg thread ended/;
