// Child processes the bench starts, and what it reads about them from /proc. Everything started here is
// stopped by `stopAll`, which run.ts calls on success, on failure and on SIGINT/SIGTERM.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<number | null>;
}

const running = new Set<Started>();

export function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Started {
  const fd = openSync(options.logFile, "a");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started: Started = { name, child, pid: child.pid, logFile: options.logFile, exited };
  running.add(started);
  exited.then(() => running.delete(started));
  return started;
}

/** SIGTERM, then SIGKILL after `graceMs`. Only the process we started, by its pid. */
export async function stop(started: Started, graceMs = 5_000): Promise<void> {
  if (!running.has(started)) return;
  started.child.kill("SIGTERM");
  const killed = await Promise.race([started.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!killed) {
    started.child.kill("SIGKILL");
    await started.exited;
  }
  running.delete(started);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => stop(s)));
}

/** For process 'exit': synchronous, last resort. */
export function killAllSync(): void {
  for (const s of running) {
    try {
      s.child.kill("SIGKILL");
    } catch {}
  }
}

/** Runs a command to completion; its output is returned (stdout) and logged to `logFile` (stderr). */
export function runToCompletion(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; inherit?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", options.inherit ? "inherit" : "pipe", "inherit"],
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

export async function waitForHttp(url: string, started: Started | undefined, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  started?.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${started?.name} exited while starting; see ${started?.logFile}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {}
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms${started ? `; see ${started.logFile}` : ""}`);
}

let clockTicks: number | undefined;
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU time of one process, in ms; undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

function statusKb(pid: number, field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak RSS over a window: resets the kernel's high-water mark (clear_refs 5) where allowed and samples
 * VmRSS every 50 ms besides; `stop()` returns the larger of VmHWM and the sampled maximum, in MiB.
 */
export function watchPeakRss(pid: number): { stop(): number } {
  let hwmReset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    hwmReset = true;
  } catch {}
  let max = statusKb(pid, "VmRSS") ?? 0;
  const timer = setInterval(() => {
    max = Math.max(max, statusKb(pid, "VmRSS") ?? 0);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      max = Math.max(max, statusKb(pid, "VmRSS") ?? 0);
      if (hwmReset) max = Math.max(max, statusKb(pid, "VmHWM") ?? 0);
      return Math.round((max / 1024) * 10) / 10;
    },
  };
}
