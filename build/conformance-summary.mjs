// Classifies the results of the http-cache-tests suite the way cache-tests.fyi does, and counts them.
//
// Usage: node build/conformance-summary.mjs <suite-dir> <results.json> <summary.json>
//
// Per test (lib/display.mjs determineTestResult in the suite):
//   - no result: untested. Browser-only tests are never run against a reverse proxy and are left out.
//   - a dependency (depends_on) that did not pass (or, for a "check", answer yes): dependency failure,
//     shown grey on cache-tests.fyi. It is neither passed nor failed: the test's premise did not hold.
//   - an error thrown during setup ("Setup"): setup failure, or "retry" when the cache retried a request.
//   - otherwise by kind: "required" (the default) passes or fails conformance; "optimal" passes or is an
//     optional failure; "check" only records a behaviour (yes/no) and counts as neither.
// requiredFailed is the fyi "conformance test failed" count. The other outcomes are written alongside it so
// that a cache cannot look better by failing a dependency.
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'

const [suiteDir, resultsFile, summaryFile] = process.argv.slice(2)
if (!suiteDir || !resultsFile || !summaryFile) {
  console.error('usage: conformance-summary.mjs <suite-dir> <results.json> <summary.json>')
  process.exit(2)
}

const load = async file => (await import(pathToFileURL(path.resolve(suiteDir, file)).href)).default
// The CLI runs the base suites plus Surrogate-Control (cli.mjs), and so does the site (index.html).
const suites = [...await load('tests/index.mjs'), await load('tests/surrogate-control.mjs')]
const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'))

const tests = new Map()
for (const suite of suites) {
  for (const test of suite.tests) tests.set(test.id, test)
}

const memo = new Map()
function outcome (id) {
  if (memo.has(id)) return memo.get(id)
  const test = tests.get(id)
  if (test === undefined) throw new Error(`depends_on names an unknown test ${id}`)
  const result = results[id]
  let value
  if (result === undefined) {
    value = 'untested'
  } else if ((test.depends_on || []).some(dep => !['pass', 'yes'].includes(outcome(dep)))) {
    value = 'dependency_fail'
  } else if (Array.isArray(result) && result[0] === 'Setup') {
    value = result[1] === 'retry' ? 'retry' : 'setup_fail'
  } else {
    const kind = test.kind || 'required'
    const passed = result === true
    if (kind === 'required') value = passed ? 'pass' : 'fail'
    else if (kind === 'optimal') value = passed ? 'pass' : 'optional_fail'
    else if (kind === 'check') value = passed ? 'yes' : 'no'
    else throw new Error(`test ${id} has unknown kind ${kind}`)
  }
  memo.set(id, value)
  return value
}

const summary = {
  requiredPassed: 0,
  requiredFailed: 0,
  optionalPassed: 0,
  optionalFailed: 0,
  requiredDependencyFailed: 0,
  requiredSetupFailed: 0,
  optionalDependencyFailed: 0,
  optionalSetupFailed: 0,
  checksYes: 0,
  checksNo: 0,
  untested: 0,
  failedRequired: [],
  notConclusiveRequired: []
}

for (const [id, test] of tests) {
  if (test.browser_only === true) continue
  const kind = test.kind || 'required'
  const value = outcome(id)
  const reason = Array.isArray(results[id]) ? results[id][1] : undefined
  if (value === 'untested') {
    summary.untested++
  } else if (kind === 'required') {
    if (value === 'pass') summary.requiredPassed++
    else if (value === 'fail') {
      summary.requiredFailed++
      summary.failedRequired.push({ id, reason })
    } else {
      if (value === 'dependency_fail') summary.requiredDependencyFailed++
      else summary.requiredSetupFailed++
      summary.notConclusiveRequired.push({ id, outcome: value, reason, dependsOn: test.depends_on })
    }
  } else if (kind === 'optimal') {
    if (value === 'pass') summary.optionalPassed++
    else if (value === 'optional_fail') summary.optionalFailed++
    else if (value === 'dependency_fail') summary.optionalDependencyFailed++
    else summary.optionalSetupFailed++
  } else if (value === 'yes') {
    summary.checksYes++
  } else if (value === 'no') {
    summary.checksNo++
  }
}

fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2) + '\n')

const line = (label, value) => console.log(`${label.padEnd(28)} ${value}`)
line('required passed', summary.requiredPassed)
line('required failed', summary.requiredFailed)
line('optional passed', summary.optionalPassed)
line('optional failed', summary.optionalFailed)
line('required, dependency failed', summary.requiredDependencyFailed)
line('required, setup failed/retry', summary.requiredSetupFailed)
line('checks yes/no', `${summary.checksYes}/${summary.checksNo}`)
if (summary.untested > 0) line('untested (no result)', summary.untested)
if (summary.failedRequired.length > 0) {
  console.log('\nfailing required tests (debug one with CONFORMANCE_TEST_ID=<id> build/conformance.sh):')
  for (const { id, reason } of summary.failedRequired) console.log(`  ${id}: ${reason}`)
}
if (summary.notConclusiveRequired.length > 0) {
  console.log('\nrequired tests not conclusive (dependency or setup failed):')
  for (const { id, outcome, reason, dependsOn } of summary.notConclusiveRequired) {
    console.log(`  ${id}: ${outcome}${outcome === 'dependency_fail' ? ` on ${dependsOn.join(', ')}` : `: ${reason}`}`)
  }
}
