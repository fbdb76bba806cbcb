// Driving the desktop app over WebDriver: start tauri-driver (which runs
// Debian's WebKitWebDriver) and talk to it. Used by the desktop test
// (run.mjs) and the latency benchmark (bench/latency.mjs).
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A random port pair for tauri-driver (`port`) and WebKitWebDriver (`port + 1`). */
export function freePortPair(base = 14000) {
  return base + 2 * Math.floor(Math.random() * 2000);
}

/** Starts tauri-driver on `port`, with `env` for the app it launches. */
export function startDriver(port, env, stdio = ['ignore', 'inherit', 'inherit']) {
  const driverBin = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
  return spawn(driverBin, ['--port', String(port), '--native-port', String(port + 1), '--native-driver', '/usr/bin/WebKitWebDriver'], {
    env: { ...process.env, ...env },
    stdio,
  });
}

/** A WebDriver client for the tauri-driver listening on `port`. */
export function webdriver(port) {
  return async (method, path, body) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
}
