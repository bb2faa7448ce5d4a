import type { PluginSpec } from '../types.js';
import { audiobridge } from './audiobridge.js';
import { echotest } from './echotest.js';
import { nosip } from './nosip.js';
import { recordplay } from './recordplay.js';
import { sip } from './sip.js';
import { streaming } from './streaming.js';
import { textroom } from './textroom.js';
import { videocall } from './videocall.js';
import { videoroom } from './videoroom.js';
import { voicemail } from './voicemail.js';

/** The bundled plugins of Janus 1.1.2, by package name. */
export const BUNDLED_PLUGINS: readonly PluginSpec[] = [echotest, videoroom, audiobridge, streaming, textroom, videocall, recordplay, sip, nosip, voicemail];
