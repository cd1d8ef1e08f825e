// Starts the origin server of the http-cache-tests suite on 127.0.0.1 only.
//
// Usage: node build/conformance-origin.mjs <suite-dir> <port> <pid-file>
//
// The suite's server reads its settings from npm's config environment variables (it is meant to be
// started with `npm run server --port=N`) and listens on every interface. Here the variables are set
// directly and listen() is pinned to the loopback address, so a test run never exposes the origin.
import net from 'node:net'
import path from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'

const [suiteDir, port, pidFile] = process.argv.slice(2)
if (!suiteDir || !port || !pidFile) {
  console.error('usage: conformance-origin.mjs <suite-dir> <port> <pid-file>')
  process.exit(2)
}

process.env.npm_config_protocol = 'http'
process.env.npm_config_port = port
process.env.npm_config_pidfile = pidFile

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    return listen.call(this, Number(args[0]), '127.0.0.1', ...args.slice(1))
  }
  return listen.apply(this, args)
}

// The server also serves the suite's static files from its working directory.
process.chdir(suiteDir)
await import(pathToFileURL(path.resolve('server/server.mjs')).href)
