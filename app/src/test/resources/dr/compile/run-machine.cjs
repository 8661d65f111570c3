// Executes compiled state machines in aws-local-stepfunctions, each with many execution inputs,
// and prints, as one JSON array on stdout (one array of results per machine), what each execution
// did: the phases whose worker ran, in order, and how the execution ended. One node process for
// all of them: loading the package and checking a definition cost far more than an execution.
// Used by StateMachineExecutionTest.
//
//   node run-machine.cjs NODE_PREFIX < [{"definition": {...}, "inputs": [{...}, ...]}, ...]
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

async function execute(machine, definition, input, index) {
  const name = 'exec-' + index;
  const token = 'token-' + index;
  const ran = [];
  const env = {};
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
    return { input, status: 'SUCCEEDED', ran, env };
  } catch (e) {
    const cause = e.cause || e;
    return { input, status: 'FAILED', error: cause.name, cause: cause.message, ran, env };
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const results = [];
  for (const { definition, inputs } of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
    // The interpreter's own check of a definition is asl-validator, which AslValidatorTest runs on the
    // compiled machines; here it would cost a few hundred ms per machine, more than all its executions.
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    results.push(await Promise.all(inputs.map((input, i) => execute(machine, definition, input, i))));
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((e) => {
  process.stderr.write((e && e.stack) || String(e));
  process.stderr.write('\n');
  process.exit(1);
});
