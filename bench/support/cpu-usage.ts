import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcessStat {
  pid: number;
  parentPid: number;
  cpuTicks: number;
  /** CPU of children that exited and were waited for. */
  reapedChildTicks: number;
}

function readStat(pid: number): ProcessStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces, so fields are counted from its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');

    return {
      pid,
      parentPid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      reapedChildTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

function allStats(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== undefined);
}

/**
 * CPU seconds (user + system) used so far by a process, or by a process and its children, read
 * from /proc. With children, those that already exited count too, once the parent has waited for
 * them (the postmaster does so for every backend).
 */
export function cpuSeconds(pid: number, includeChildren = false): number {
  const stats = allStats();
  const selected = stats.filter(
    (stat) => stat.pid === pid || (includeChildren && stat.parentPid === pid),
  );
  const reaped = includeChildren
    ? (stats.find((stat) => stat.pid === pid)?.reapedChildTicks ?? 0)
    : 0;
  const ticks = selected.reduce((sum, stat) => sum + stat.cpuTicks, reaped);

  return ticks / ticksPerSecond;
}

/** Reads a pid from the first line of a pid file, or undefined when the file is missing. */
export function pidFromFile(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** Reads the postmaster's pid from the first line of postmaster.pid. */
export function postmasterPid(dataDir: string): number | undefined {
  return pidFromFile(`${dataDir}/postmaster.pid`);
}

/** Reads the 1, 5 and 15 minute load averages from /proc/loadavg. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Busy and total jiffies of the whole machine so far, from the first line of /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  const busy = user + nice + system + irq + softirq + steal;

  return { busy, total: busy + idle + iowait };
}
