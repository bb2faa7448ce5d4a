import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../installation.js';
import { pickFreePorts } from '../ports.js';
import { BrokerStartError, type BrokerStartControl, type RunningBroker } from './contract.js';
import { BrokerHoldings, waitForPort, withFreshPorts } from './process.js';

const INSTALL_HINT = 'install it with `apt-get install -y mosquitto`';
/** mosquitto opens its port within ~25 ms; a busy machine gets much more. */
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3000;
const BIND_FAILURE = /Address already in use|Error: Unable to create listener/i;

/**
 * Debian's mosquitto on a free loopback port: anonymous clients, nothing persisted, logs on
 * stdout (the last lines explain a failure). Its config lives in a folder of its own.
 */
export async function startMosquitto(control: BrokerStartControl): Promise<RunningBroker> {
  const binary = (await findExecutable('mosquitto')) ?? (await findExecutable('/usr/sbin/mosquitto'));
  if (!binary) throw new BrokerStartError(`the MQTT broker mosquitto is not installed; ${INSTALL_HINT}`);
  return withFreshPorts(control.signal, () => launch(binary, control));
}

async function launch(binary: string, control: BrokerStartControl): Promise<RunningBroker> {
  const holdings = new BrokerHoldings('mosquitto-', control);
  try {
    const [port] = await pickFreePorts(1);
    const config = join(holdings.dir, 'mosquitto.conf');
    await writeFile(config, [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stdout',
      'log_type error',
      'log_type warning',
      // Janus's replies are small; Nagle would hold them back behind a delayed ACK.
      'set_tcp_nodelay true',
      // Run as root, mosquitto switches to its own user, which clears the parent-death signal
      // (prctl(2)): staying the user we are keeps it tied to this process.
      `user ${userInfo().username}`,
      '',
    ].join('\n'));
    const began = Date.now();
    const server = await holdings.spawn(binary, ['-c', config], {});
    await waitForPort(server, port!, 'mosquitto', READY_TIMEOUT_MS, BIND_FAILURE, control.signal);
    return holdings.running('mosquitto', server, port!, Date.now() - began, 'MQTT broker (mosquitto)', STOP_GRACE_MS);
  } catch (err) {
    await holdings.discard();
    throw err;
  }
}
