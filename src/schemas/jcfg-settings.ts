import { closestName } from '../core/diagnostic.js';

/**
 * The settings of janus.jcfg's `general`, `nat` and `media` sections, as the sample configuration
 * of each Janus release this tool knows lists them (1.1.2, 1.2.4, 1.3.3, 1.4.1; commented-out
 * ones included). Janus ignores a key it does not know, so a misspelt `requires.janus` key
 * (`sesion_timeout`) would start a Janus without the setting and test something else: a key near
 * one of these is a load error. A key far from all of them is left alone (Janus may read keys
 * its sample does not show).
 */
export const JCFG_SETTINGS: Readonly<Record<'general' | 'nat' | 'media', readonly string[]>> = {
  general: [
    'admin_secret', 'allow_loop_indication', 'api_secret', 'candidates_timeout', 'check_openfiles_limit', 'configs_folder', 'daemonize', 'debug_colors',
    'debug_level', 'debug_locks', 'debug_timestamps', 'event_loops', 'events_folder', 'exit_on_dl_error', 'hide_dependencies', 'interface', 'log_prefix',
    'log_rotate_sig', 'log_to_file', 'log_to_stdout', 'loggers_folder', 'no_webrtc_encryption', 'opaqueid_in_api', 'pid_file', 'plugins_folder',
    'protected_folders', 'reclaim_session_timeout', 'recordings_tmp_ext', 'server_name', 'session_timeout', 'task_pool_size', 'token_auth',
    'token_auth_secret', 'transports_folder',
  ],
  nat: [
    'allow_force_relay', 'full_trickle', 'hangup_on_failed', 'ice_consent_freshness', 'ice_enforce_list', 'ice_ignore_list', 'ice_keepalive_conncheck',
    'ice_lite', 'ice_nomination', 'ice_tcp', 'ignore_mdns', 'ignore_unreachable_ice_server', 'keep_private_host', 'nat_1_1_mapping', 'nice_debug',
    'stun_port', 'stun_server', 'turn_port', 'turn_pwd', 'turn_rest_api', 'turn_rest_api_key', 'turn_rest_api_method', 'turn_rest_api_timeout',
    'turn_server', 'turn_type', 'turn_user',
  ],
  media: ['dscp', 'dtls_mtu', 'dtls_timeout', 'ipv6', 'ipv6_linklocal', 'min_nack_queue', 'nack_optimizations', 'no_media_timer', 'rtp_port_range', 'slowlink_threshold', 'twcc_period'],
};

/** The janus.jcfg setting a `requires.janus` key (`session_timeout`, `nat.full_trickle`) was most likely meant to be, when it is none itself. */
export function misspeltJcfgSetting(key: string): string | undefined {
  const dot = key.indexOf('.');
  const section = dot < 0 ? 'general' : key.slice(0, dot);
  if (section !== 'general' && section !== 'nat' && section !== 'media') return undefined;
  const name = dot < 0 ? key : key.slice(dot + 1);
  const known = JCFG_SETTINGS[section];
  if (known.includes(name)) return undefined;
  const hint = closestName(name, known);
  return hint && (dot < 0 ? hint : `${section}.${hint}`);
}
