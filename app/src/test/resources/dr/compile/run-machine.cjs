// Executes compiled state machines in aws-local-stepfunctions, each with many execution inputs,
// and prints, as one JSON array on stdout (one array of results per machine), what each execution
// did: the phases whose worker ran, in order, and how the execution ended. One node process for
// all of them: loading the package and checking a definition cost far more than an execution.
// Used by StateMachineExecutionTest and OrchestratedReceiptsTest.
//
//   node run-machine.cjs NODE_PREFIX < [{"definition": {...}, "inputs": [{...}, ...]}, ...]
//
// A machine may also give "names" (the executions' names, in the order of its inputs; default
// exec-<index>) and "workers": {"env": {...}, "cwd": DIR}, with which every phase worker runs its
// script for real, with sh -c in DIR, its environment the given one plus the task's; a non-zero
// exit fails the task as States.TaskFailed, as a failed CodeBuild build or ECS task does.
//
// NODE_PREFIX is the npm --prefix the package is installed in. Every Task runs a local handler
// instead of its AWS resource: a phase worker records the phase its dr apply command names
// (--phase NAME) and succeeds; the promote gate's waitForTaskToken task is answered by its handler
// with an approval, as dr approve --execution-arn would answer it, once it has seen the task token
// in the message it would publish.
'use strict';

// aws-local-stepfunctions 3 declares Node >= 22; Node 20 lacks only this, which it calls.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const path = require('node:path');
const { StateMachine } = require(path.resolve(process.argv[2], 'node_modules', 'aws-local-stepfunctions'));

const GATE = ':sns:publish.waitForTaskToken';

/** The worker's shell command: the CodeBuild buildspec's one command, or the ECS container's sh -c script. */
function command(params) {
  if (typeof params.BuildspecOverride === 'string') {
    return params.BuildspecOverride;
  }
  const c = params.Overrides && params.Overrides.ContainerOverrides && params.Overrides.ContainerOverrides[0];
  if (c && Array.isArray(c.Command)) {
    return c.Command[c.Command.length - 1];
  }
  throw new Error('no worker command in the task parameters: ' + JSON.stringify(params));
}

/** The worker's shell script: the buildspec's one command, or the ECS container's sh -c script. */
function script(params) {
  if (typeof params.BuildspecOverride === 'string') {
    const m = /\n {6}- \|\n {8}([^\n]*)\n$/.exec(params.BuildspecOverride);
    if (!m) {
      throw new Error('the buildspec has not one command: ' + params.BuildspecOverride);
    }
    return m[1];
  }
  return command(params);
}

/** Runs the worker's script as the worker would; resolves with its exit code and the tail of its output. */
function runWorker(workers, params) {
  const { spawn } = require('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script(params)], {
      cwd: workers.cwd,
      env: Object.assign({ PATH: process.env.PATH }, workers.env || {}, environment(params)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The worker's environment as NAME -> value, from either worker's parameters. */
function environment(params) {
  const vars = params.EnvironmentVariablesOverride
    || (params.Overrides && params.Overrides.ContainerOverrides[0].Environment) || [];
  const out = {};
  for (const v of vars) {
    out[v.Name] = v.Value;
  }
  return out;
}

async function execute(machine, definition, input, index, names, workers) {
  const name = names ? names[index] : 'exec-' + index;
  const token = 'token-' + index;
  const ran = [];
  const env = {};
  const logs = {};
  const handlers = {};
  const retryIntervals = {};
  for (const [state, def] of Object.entries(definition.States)) {
    if (def.Type !== 'Task') {
      continue;
    }
    // handlers succeed, so no retry fires; should one, it does not wait
    if (def.Retry) {
      retryIntervals[state] = 0;
    }
    if (def.Resource.endsWith(GATE)) {
      handlers[state] = async (params) => {
        if (!params.Message || params.Message.TaskToken !== token) {
          throw new Error('the gate published no task token: ' + JSON.stringify(params));
        }
        ran.push('approval');
        return { approver: 'test-approver', ticket: 'CHG-1', approvedAt: '2026-12-07T10:00:00Z' };
      };
    } else {
      handlers[state] = async (params) => {
        const m = /--phase (\S+)/.exec(command(params));
        if (!m) {
          throw new Error('state ' + state + ' runs no dr apply --phase: ' + command(params));
        }
        ran.push(m[1]);
        env[m[1]] = environment(params);
        if (workers) {
          const { code, output } = await runWorker(workers, params);
          logs[m[1]] = { exit: code, output };
          if (code !== 0) {
            const failure = new Error('the worker of ' + m[1] + ' exited ' + code);
            failure.name = 'States.TaskFailed';
            throw failure;
          }
        }
        return {};
      };
    }
  }
  const context = {
    Execution: { Name: name, Id: 'arn:aws:states:us-east-1:048622080012:execution:dr:' + name },
    Task: { Token: token },
  };
  try {
    await machine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryIntervals },
      context,
    }).result;
    return { input, status: 'SUCCEEDED', ran, env, logs };
  } catch (e) {
    const cause = e.cause || e;
    return { input, status: 'FAILED', error: cause.name, cause: cause.message, ran, env, logs };
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const results = [];
  for (const { definition, inputs, names, workers } of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
    // The interpreter's own check of a definition is asl-validator, which AslValidatorTest runs on the
    // compiled machines; here it would cost a few hundred ms per machine, more than all its executions.
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    // real workers share a lock and a receipt folder: their executions run one after the other
    const runs = [];
    if (workers) {
      for (let i = 0; i < inputs.length; i++) {
        runs.push(await execute(machine, definition, inputs[i], i, names, workers));
      }
    } else {
      runs.push(...(await Promise.all(inputs.map((input, i) => execute(machine, definition, input, i, names, null)))));
    }
    results.push(runs);
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((e) => {
  process.stderr.write((e && e.stack) || String(e));
  process.stderr.write('\n');
  process.exit(1);
});
