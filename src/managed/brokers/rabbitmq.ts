import { randomBytes } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from '../installation.js';
import { pickFreePorts } from '../ports.js';
import { BrokerStartError, type BrokerStartControl, type RunningBroker } from './contract.js';
import { BrokerHoldings, waitForPort, withFreshPorts } from './process.js';

/** Debian's scripts: /usr/sbin/rabbitmq-server switches to the rabbitmq user and its HOME (and cookie). */
const SERVER_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const INSTALL_HINT = 'install it with `apt-get install -y rabbitmq-server`';
/** About 6 s on an idle machine; several times that on a busy one. */
const READY_TIMEOUT_MS = 90_000;
/** RabbitMQ stops in about half a second on SIGTERM; a hung one is killed. */
const STOP_GRACE_MS = 10_000;
const BIND_FAILURE = /eaddrinuse|Failed to start Ranch listener|could not start distribution|seems to be in use by another Erlang node/i;

/**
 * A private RabbitMQ: its own folder for the database, logs, config and Erlang cookie, its own
 * node name, AMQP port, Erlang distribution port and epmd port, all on loopback, so it never
 * meets another RabbitMQ or Erlang node on the machine.
 *
 * Erlang nodes register with epmd, and the runtime starts one as a daemon when none answers
 * (which would outlive the run, reparented to init). We start epmd ourselves, in the
 * foreground and tied to this process, on the port the node is told to use: the node finds it
 * running and starts none.
 */
export async function startRabbitmq(control: BrokerStartControl): Promise<RunningBroker> {
  try {
    await access(SERVER_SCRIPT);
  } catch {
    throw new BrokerStartError(`the RabbitMQ server is not installed (no ${SERVER_SCRIPT}); ${INSTALL_HINT}`);
  }
  const epmd = await findExecutable('epmd');
  if (!epmd) throw new BrokerStartError(`epmd (Erlang) not found; ${INSTALL_HINT}`);
  return withFreshPorts(control.signal, () => launch(epmd, control));
}

interface Ports {
  amqp: number;
  dist: number;
  epmd: number;
}

async function launch(epmdBinary: string, control: BrokerStartControl): Promise<RunningBroker> {
  const holdings = new BrokerHoldings('rabbitmq-', control);
  const { signal } = control;
  try {
    const [amqp, dist, epmdPort] = await pickFreePorts(3);
    const ports: Ports = { amqp: amqp!, dist: dist!, epmd: epmdPort! };
    const env = await writeFiles(holdings.dir, ports);
    const began = Date.now();
    const epmd = await holdings.spawn(epmdBinary, ['-port', String(ports.epmd), '-address', '127.0.0.1'], {});
    await waitForPort(epmd, ports.epmd, 'epmd', READY_TIMEOUT_MS, /address already in use|eaddrinuse/i, signal);
    const server = await holdings.spawn(SERVER_SCRIPT, [], env);
    await waitForPort(server, ports.amqp, 'RabbitMQ', READY_TIMEOUT_MS, BIND_FAILURE, signal);
    // Stopped before its epmd, which it stays registered with until it is gone.
    return holdings.running('rabbitmq', server, ports.amqp, Date.now() - began, 'RabbitMQ broker', STOP_GRACE_MS);
  } catch (err) {
    await holdings.discard();
    throw err;
  }
}

/** Config, cookie and empty plugin list in the folder; returns the server's environment. */
async function writeFiles(dir: string, ports: Ports): Promise<Record<string, string>> {
  await mkdir(join(dir, 'mnesia'));
  await mkdir(join(dir, 'log'));
  await writeFile(join(dir, 'rabbitmq.conf'), [
    `listeners.tcp.default = 127.0.0.1:${ports.amqp}`,
    // The default user guest/guest, from loopback only.
    'loopback_users.guest = true',
    'log.console = true',
    'log.console.level = warning',
    'log.file = false',
    // A nearly full disk must not make the broker block publishers mid-run.
    'disk_free_limit.absolute = 10MB',
    '',
  ].join('\n'));
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
  await writeFile(join(dir, 'rabbitmq-env.conf'), '');
  // Erlang reads the cookie from $HOME and refuses one others can read.
  await writeFile(join(dir, '.erlang.cookie'), randomBytes(18).toString('hex').toUpperCase(), { mode: 0o400 });
  return {
    HOME: dir,
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_NODENAME: `janus-scenarios-${ports.amqp}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(ports.amqp),
    RABBITMQ_DIST_PORT: String(ports.dist),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(ports.epmd),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
    // The distribution port listens on loopback only.
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    // The script then execs the Erlang VM instead of running it in a child (see rabbitmq-server):
    // the pid we hold, and its parent-death signal, are the broker's own.
    RUNNING_UNDER_SYSTEMD: 'true',
  };
}
