// Aggregates build/bench.sh runs: medians per (system, size, load), the ratio of ours to each other
// system, a table on stdout and artifacts/bench.json.
//
// Usage: node build/bench-report.mjs <runs.jsonl> <systems.json> <settings.json> <bench.json>
import fs from 'node:fs'
import os from 'node:os'

const [runsFile, systemsFile, settingsFile, outFile] = process.argv.slice(2)
const runs = fs.readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line))
const systems = JSON.parse(fs.readFileSync(systemsFile, 'utf8'))
const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'))

const median = values => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const groups = new Map()
for (const run of runs) {
  const seconds = run.durationUs / 1e6
  run.requestsPerSecond = run.requests / seconds
  run.megabytesPerSecond = run.bytes / seconds / 1e6
  run.p99Ms = run.p99Us / 1000
  // CPU time the cache's processes spent during the run (user + system), per request served.
  run.cpuUsPerRequest = run.cpuUs / run.requests
  // wrk's own CPU time over what its threads had (duration × threads): near 1, the load generator was
  // busy all the run, so it set the pace, not the cache.
  run.wrkBusy = run.wrkCpuUs / (run.durationUs * run.threads)
  const key = `${run.size}|${run.threads}x${run.connections}|${run.system}`
  if (!groups.has(key)) groups.set(key, [])
  groups.get(key).push(run)
}

const results = []
for (const [, group] of groups) {
  const first = group[0]
  results.push({
    system: first.system,
    size: first.size,
    threads: first.threads,
    connections: first.connections,
    repeats: group.length,
    requestsPerSecond: median(group.map(r => r.requestsPerSecond)),
    megabytesPerSecond: median(group.map(r => r.megabytesPerSecond)),
    p50Ms: median(group.map(r => r.p50Us / 1000)),
    p99Ms: median(group.map(r => r.p99Ms)),
    // (max − min) ÷ median of req/s over the repeats: how far apart runs of the same cell landed.
    requestsPerSecondSpread: (Math.max(...group.map(r => r.requestsPerSecond)) - Math.min(...group.map(r => r.requestsPerSecond))) /
      median(group.map(r => r.requestsPerSecond)),
    cpuUsPerRequest: median(group.map(r => r.cpuUsPerRequest)),
    wrkBusy: median(group.map(r => r.wrkBusy)),
    machineIdle: median(group.map(r => r.machineIdle)),
    errors: group.reduce((n, r) => n + r.errorsConnect + r.errorsRead + r.errorsWrite + r.errorsStatus + r.errorsTimeout, 0),
    originRequestsDuringRuns: group.reduce((n, r) => n + r.originRequests, 0),
    runs: group.map(r => ({
      requestsPerSecond: r.requestsPerSecond,
      megabytesPerSecond: r.megabytesPerSecond,
      p99Ms: r.p99Ms,
      p50Ms: r.p50Us / 1000,
      cpuUsPerRequest: r.cpuUsPerRequest,
      wrkBusy: r.wrkBusy,
      machineIdle: r.machineIdle
    }))
  })
}

const order = settings.systems
const sizeOrder = settings.sizes
results.sort((a, b) =>
  sizeOrder.indexOf(a.size) - sizeOrder.indexOf(b.size) ||
  a.connections - b.connections ||
  order.indexOf(a.system) - order.indexOf(b.system))

// ours ÷ other, per measurement: above 1 means ours serves more requests per second.
for (const result of results) {
  const ours = results.find(r => r.system === 'ours' && r.size === result.size && r.connections === result.connections && r.threads === result.threads)
  result.oursRatio = ours && result.system !== 'ours' ? ours.requestsPerSecond / result.requestsPerSecond : null
  result.oursP99Ratio = ours && result.system !== 'ours' ? ours.p99Ms / result.p99Ms : null
  // p99 and CPU: below 1 means ours is lower (better).
  result.oursCpuRatio = ours && result.system !== 'ours' ? ours.cpuUsPerRequest / result.cpuUsPerRequest : null
}

const pad = (value, width) => String(value).padStart(width)
const ratio = value => value === null ? '-' : value.toFixed(2)
console.log(`\n${'size'.padEnd(6)} ${'load'.padEnd(9)} ${'system'.padEnd(14)} ${pad('req/s', 10)} ${pad('spread', 7)} ${pad('MB/s', 9)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ` +
  `${pad('CPU µs/req', 11)} ${pad('wrk busy', 9)} ${pad('idle', 5)} ${pad('ours÷this', 10)} ${pad('p99 ours÷this', 14)} ${pad('CPU ours÷this', 14)} ${pad('errors', 7)}`)
for (const r of results) {
  console.log(`${r.size.padEnd(6)} ${`t${r.threads}c${r.connections}`.padEnd(9)} ${r.system.padEnd(14)} ` +
    `${pad(Math.round(r.requestsPerSecond), 10)} ${pad(`${Math.round(r.requestsPerSecondSpread * 100)}%`, 7)} ` +
    `${pad(r.megabytesPerSecond.toFixed(1), 9)} ${pad(r.p50Ms.toFixed(2), 8)} ${pad(r.p99Ms.toFixed(2), 8)} ${pad(r.cpuUsPerRequest.toFixed(1), 11)} ` +
    `${pad(`${Math.round(r.wrkBusy * 100)}%`, 9)} ${pad(`${Math.round(r.machineIdle * 100)}%`, 5)} ${pad(ratio(r.oursRatio), 10)} ${pad(ratio(r.oursP99Ratio), 14)} ${pad(ratio(r.oursCpuRatio), 14)} ${pad(r.errors, 7)}`)
}
console.log('spread: (max − min) ÷ median of req/s over the repeats. CPU: user + system time of the cache\'s processes per request.')
console.log('wrk busy: wrk\'s CPU time ÷ (run time × its threads); near 100 %, wrk set the pace of the run rather than the cache.')
console.log('idle: the machine\'s idle share of its cores over the run; near 0, the cores were saturated and p99 reflects the scheduler as much as the cache.')
console.log(`\n${'system'.padEnd(14)} ${pad('peak RSS MiB', 13)}  version`)
for (const name of order) {
  const s = systems[name]
  if (s) console.log(`${name.padEnd(14)} ${pad((s.peakRssBytes / 1048576).toFixed(1), 13)}  ${s.version}`)
}

const impure = results.filter(r => r.originRequestsDuringRuns > 0)
for (const r of impure) {
  console.log(`WARNING: ${r.system} ${r.size} t${r.threads}c${r.connections}: the origin saw ${r.originRequestsDuringRuns} requests during the runs; not all were cache hits`)
}

fs.writeFileSync(outFile, JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryBytes: os.totalmem(), kernel: os.release() },
  settings,
  systems,
  results
}, null, 2) + '\n')
console.log(`\nwrote ${outFile}`)
if (impure.length > 0) process.exitCode = 1
