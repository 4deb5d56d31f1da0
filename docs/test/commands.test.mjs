// Every shell command of README.md and docs/getting-started.md, run in order as a reader
// runs them: each document in one bash session (variables and background jobs carry from
// one command to the next), in a directory laid out like a clone (deploy/ and build/ are
// links to this checkout's), against the wsd that `bash deploy/local/start.sh` starts.
// Each command must exit 0, and print what the document says it prints:
//   # → TEXT          after a command: a line it prints ("..." stands for what varies)
//   ```text block     right after a block that starts wsd: lines wsd prints, in order
//   "not run by docs.commands" in a command's comment: skipped, for the reason given there
// What the test changes, and why:
//   * start.sh runs with WSD_NO_BUILD=1: CTest built wsd already, and a build here would
//     relink it under the other tests; it gets the SMTP sink's --smtp-url, as README says
//     to start wsd for mail, and WSD_LISTEN for its port (it listens on 8080 otherwise).
//   * the documents' fixed ports (8080, 8081, 8082, Kafka's 9092, Redis's 6379) and /tmp/
//     paths become free ports and a directory of this test's own: other suites run at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WSD_BIN } from '../../server/test/integration/lib/server.mjs';
import { parseMessage, startSmtpSink } from '../../server/test/integration/lib/smtp.mjs';
import { freeLocalPort } from '../../server/test/integration/lib/ports.mjs';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const BUILD_DIR = dirname(dirname(WSD_BIN));  // build/server/wsd
const SKIP = /not run by docs\.commands/;
const STARTS_WSD = /^bash deploy\/local\/start\.sh\b/;
const DOC_PORTS = [8080, 8081, 8082, 9092, 6379];

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// ---- reading a document ---------------------------------------------------------------

// The document's commands in order: {command, expect: [lines], skip}. A ```text block right
// after a ```sh block is what that block's last command prints.
export function commandsOf(markdown) {
  const commands = [];
  for (const block of markdown.matchAll(/^```(sh|bash|text)\n(.*?)^```$/gms)) {
    const [, lang, body] = block;
    if (lang === 'text') {
      const last = commands.at(-1);
      if (last && !last.textBlockSeen) {
        last.expect.push(...body.split('\n').filter(Boolean));
        last.textBlockSeen = true;
      }
      continue;
    }
    for (const line of joinContinuations(body)) {
      const printed = /^# → (.*)$/.exec(line);
      if (printed) commands.at(-1).expect.push(printed[1]);
      else if (line.trim() && !line.startsWith('#')) commands.push({ command: line, expect: [], skip: SKIP.test(line) });
    }
    if (commands.length) commands.at(-1).textBlockSeen = false;
  }
  return commands;
}

function joinContinuations(body) {
  const lines = [];
  let pending = '';
  for (const line of body.split('\n')) {
    if (line.endsWith('\\')) pending += `${line}\n`;
    else {
      lines.push(pending + line);
      pending = '';
    }
  }
  return lines;
}

// An expected line as a pattern: "..." and "…" match anything (with the example digits
// before them: "5f0c6d2e..."), the documents' example timestamps and node ids match any.
function linePattern(expected) {
  const escaped = expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${escaped
      .replace(/[0-9a-f]*(\\\.\\\.\\\.|…)/g, '.*')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\\\.\d{3}Z/g, '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z')
      .replace(/node-[0-9a-f]{8}/g, 'node-[0-9a-f]{8}')}$`,
  );
}

// Each expected line matches a printed line, in the same order (others may come between).
function assertPrints(output, expected, what) {
  const lines = output.split('\n');
  let at = 0;
  for (const line of expected) {
    const pattern = linePattern(line);
    while (at < lines.length && !pattern.test(lines[at])) at += 1;
    assert.ok(at < lines.length, `${what}: no line like\n  ${line}\nin what it printed:\n${output}`);
    at += 1;
  }
}

// ---- the reader's machine ---------------------------------------------------------------

// A directory laid out like a clone: deploy/ and build/ link to this checkout's.
function readerDir() {
  const dir = mkdtempSync(join(tmpdir(), 'wsd-doc-'));
  symlinkSync(join(ROOT, 'deploy'), join(dir, 'deploy'));
  symlinkSync(BUILD_DIR, join(dir, 'build'));
  mkdirSync(join(dir, 'tmp'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function localize(command, ports, dir) {
  let text = command;
  for (const port of DOC_PORTS) text = text.replace(new RegExp(`\\b${port}\\b`, 'g'), String(ports.get(port)));
  return text.replaceAll('/tmp/', `${dir}/tmp/`);
}

// `bash deploy/local/start.sh ...` in the reader's directory; resolves once wsd listens,
// with everything it printed by then.
async function startWsd(command, dir, port, smtpUrl) {
  const withoutComment = command.replace(/\s+#.*$/, '');
  const proc = spawn('bash', ['-c', `exec ${withoutComment} --smtp-url ${smtpUrl}`], {
    cwd: dir,
    env: { ...process.env, WSD_NO_BUILD: '1', WSD_LISTEN: `127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.on('exit', resolve));
    }
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk) => {
      output += chunk;
      if (/listening on http:\/\/\S+\n/.test(output)) resolve(output);
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    proc.on('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${output}`)));
  });
}

// One bash for the whole document: run(command) resolves with {code, stdout}.
function shellSession(dir) {
  const shell = spawn('bash', ['--norc', '--noprofile'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } });
  let stdout = '';
  let stderr = '';
  let waiting = null;
  shell.stdout.on('data', (chunk) => {
    stdout += chunk;
    waiting?.();
  });
  shell.stderr.on('data', (chunk) => (stderr += chunk));
  const marker = `__docs_command_done_${process.pid}`;
  let failed = null;
  shell.on('exit', (code) => failed?.(new Error(`bash exited (${code}):\n${stderr}`)));
  cleanups.push(async () => {
    failed = null;
    shell.stdin.end('kill $(jobs -p) 2>/dev/null; exit\n');
    await new Promise((resolve) => (shell.exitCode === null ? shell.on('exit', resolve) : resolve()));
  });
  return {
    stderr: () => stderr,
    run(command) {
      stdout = '';
      shell.stdin.write(`${command}\nprintf '\\n${marker} %d\\n' $?\n`);
      const pattern = new RegExp(`\\n${marker} (\\d+)\\n`);
      return new Promise((resolve, reject) => {
        failed = reject;
        waiting = () => {
          const m = pattern.exec(stdout);
          if (!m) return;
          waiting = null;
          failed = null;
          resolve({ code: Number(m[1]), stdout: stdout.slice(0, m.index) });
        };
        waiting();
      });
    },
  };
}

async function followDocument(name) {
  const commands = commandsOf(readFileSync(join(ROOT, name), 'utf8'));
  assert.ok(commands.some((c) => STARTS_WSD.test(c.command)), `${name} starts wsd with deploy/local/start.sh`);
  const dir = readerDir();
  const taken = new Set();
  const ports = new Map();
  for (const port of DOC_PORTS) ports.set(port, await freeLocalPort({ pair: true, taken }));
  const sink = await startSmtpSink();
  cleanups.push(() => sink.stop());
  const session = shellSession(dir);
  const ran = [];
  for (const { command, expect, skip } of commands) {
    if (skip) continue;
    const local = localize(command, ports, dir);
    stopLocalServiceOnCleanup(local, dir);
    if (STARTS_WSD.test(command)) {
      assertPrints(await startWsd(local, dir, ports.get(8080), sink.url), expect.map((l) => localizeLine(l, ports)), command);
    } else {
      const { code, stdout } = await session.run(local);
      assert.equal(code, 0, `${name}: \`${command}\` exited with ${code}:\n${stdout}\n${session.stderr()}`);
      assertPrints(stdout, expect.map((l) => localizeLine(l, ports)), `${name}: \`${command}\``);
    }
    ran.push(command);
  }
  return { ran, sink };
}

// A Kafka or Redis a document starts is stopped at the end even when a later command fails
// (the document's own stop commands run first when it gets there).
function stopLocalServiceOnCleanup(command, dir) {
  const m = /deploy\/local\/(kafka|redis)\.sh start (\S+)/.exec(command);
  if (m) cleanups.push(() => spawnSync('bash', [`deploy/local/${m[1]}.sh`, 'stop', m[2]], { cwd: dir, stdio: 'ignore' }));
}

const localizeLine = (line, ports) => DOC_PORTS.reduce((text, port) => text.replace(new RegExp(`\\b${port}\\b`, 'g'), String(ports.get(port))), line);

test('README.md: every shell command works as written, in order, and prints what README says', { timeout: 240000 }, async () => {
  const { ran, sink } = await followDocument('README.md');
  assert.ok(ran.some((c) => c.includes('/mail?')), 'the mail command ran');
  const mail = await sink.next();
  assert.deepEqual(mail.rcptTos, ['user@example.com']);
  assert.equal(parseMessage(mail.data).subject, '测试邮件');
  assert.ok(ran.some((c) => c.includes('wsd serve')), 'the distributed commands ran');
});

test('docs/getting-started.md: every shell command works as written, in order, and prints what the guide says', { timeout: 120000 }, async () => {
  const { ran } = await followDocument('docs/getting-started.md');
  assert.ok(ran.some((c) => c.startsWith('curl ')));
});
