import { Redactor, urlSecrets } from '../report/redact.js';

/** The options whose value is a secret, in every command that takes them. */
const SECRET_OPTIONS = ['--api-secret', '--token', '--admin-secret'];

/** The options whose value is a URL: one written without its scheme is read as one too. */
const URL_OPTIONS = ['--url', '--admin-url', '--target'];

/** `--janus-config` settings whose value is a secret of the managed Janus. */
const SECRET_SETTING = /^\s*(?:api_secret|admin_secret|token_auth_secret)\s*[=:\s]\s*([^]+)$/;

/**
 * The secrets a command line holds, known before any of it is parsed: the values of
 * --api-secret, --token and --admin-secret (`--token T` and `--token=T`), the environment's,
 * the managed Janus' secrets given with --janus-config, and the credentials of every URL in it
 * (one written without its scheme too, `user:pass@host:port`, which a usage error repeats).
 * What a command prints before its run knows its secrets (a usage error that quotes an argument,
 * a config-file value, a URL no transport serves) is redacted with these.
 */
export function commandLineSecrets(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const found = [env.JANUS_API_SECRET, env.JANUS_TOKEN, env.JANUS_ADMIN_SECRET];
  args.forEach((arg, i) => {
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    // `--token --url ...` is a missing value (the parser says so), not a secret "--url".
    const value = inline ?? args[i + 1];
    if (SECRET_OPTIONS.includes(name) && (inline !== undefined || !value?.startsWith('--'))) found.push(value);
    found.push(SECRET_SETTING.exec(arg)?.[1]?.trim(), ...argumentUrlSecrets(inline ?? arg, URL_OPTIONS.includes(inline === undefined ? args[i - 1] ?? '' : name)));
  });
  return found.filter((v): v is string => v !== undefined && v !== '');
}

function argumentUrlSecrets(arg: string, urlOption: boolean): string[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return urlSecrets(arg);
  // A URL option's value without its scheme is read with one, so that `user:pass@host` gives
  // its password as a URL's would (any other argument with an @ is no URL: a path, a --grep).
  return urlOption && arg.includes('@') ? urlSecrets(`http://${arg}`) : [];
}

/** A redactor of the command line's secrets (and of any URL's credentials), for what is printed before a run has its own. */
export function commandLineRedactor(args: readonly string[], env: NodeJS.ProcessEnv): Redactor {
  return new Redactor(commandLineSecrets(args, env));
}
