# dr compile --target stepfunctions-terraform plans/validate-only.yaml
# The plan's state machine, started by an EventBridge schedule and by CloudWatch alarms.
# Both triggers exist but stay DISABLED unless enable_triggers = true (runbook default: false).

variable "enable_triggers" {
  description = "Start the state machine on the schedule and on the alarms (false: the rules are created disabled)."
  type        = bool
  default     = false
}

variable "state_machine_role_arn" {
  description = "The role Step Functions assumes to start the workers."
  type        = string
}

variable "events_role_arn" {
  description = "The role EventBridge assumes to start executions (states:StartExecution)."
  type        = string
}

variable "schedule_expression" {
  description = "When the scheduled drill starts."
  type        = string
  default     = "cron(0 6 ? * MON *)"
}

variable "alarm_names" {
  description = "CloudWatch alarms whose ALARM state starts an execution."
  type        = list(string)
}

resource "aws_sfn_state_machine" "dr" {
  name     = "dr-validate-only"
  role_arn = var.state_machine_role_arn
  definition = <<EOT
{
  "Comment": "dr plan plans/validate-only.yaml (validate-only): one Task per phase running dr apply plans/validate-only.yaml --phase NAME on the worker. Input (all optional): {\"startAt\": PHASE, \"stopAfter\": PHASE, \"fromReceipt\": RECEIPT_DIR}; the plan's own boundaries are validate to validate.",
  "StartAt": "Defaults",
  "States": {
    "Defaults": {
      "Type": "Pass",
      "Comment": "The plan's own boundaries. fromReceipt is the run whose outputs (the kubeconfig) phases after bringup reuse: this execution's bringup when the machine has one, else the plan's own run.fromReceipt.",
      "Parameters": {
        "defaults": {
          "startAt": "validate",
          "stopAfter": "validate",
          "fromReceipt": ""
        },
        "input.$": "$"
      },
      "Next": "Boundaries"
    },
    "Boundaries": {
      "Type": "Pass",
      "Comment": "Input values win over the plan's defaults.",
      "Parameters": {
        "run.$": "States.JsonMerge($.defaults, $.input, false)"
      },
      "Next": "Check boundaries"
    },
    "Check boundaries": {
      "Type": "Choice",
      "Comment": "startAt and stopAfter must name phases of the plan, stopAfter not before startAt; validateOnly runs only the validate phase, so startAt and stopAfter may name no other phase.",
      "Choices": [
        {
          "And": [
            {
              "Variable": "$.run.startAt",
              "StringEquals": "validate"
            },
            {
              "Variable": "$.run.stopAfter",
              "StringEquals": "validate"
            }
          ],
          "Next": "Validate"
        }
      ],
      "Default": "InvalidBoundaries"
    },
    "InvalidBoundaries": {
      "Type": "Fail",
      "Comment": "Nothing ran.",
      "Error": "dr.InvalidBoundaries",
      "Cause": "startAt and stopAfter must be phases of the plan in this order: bringup, restore, validate, promote, teardown, stopAfter not before startAt; validateOnly runs only the validate phase, so startAt and stopAfter may name no other phase."
    },
    "Validate": {
      "Type": "Task",
      "Comment": "Phase validate: dr apply plans/validate-only.yaml --phase validate --yes --no-retry --receipt-dir receipts on the worker (steps: k8s.run-job). Retry budget: 3 attempts on image-pull-auth, insufficient-memory; a .sync task fails as States.TaskFailed whatever the class, so every failed attempt is retried within the budget.",
      "Resource": "arn:aws:states:::codebuild:startBuild.sync",
      "Parameters": {
        "ProjectName": "dr-worker",
        "BuildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        dr apply plans/validate-only.yaml --phase validate --yes --no-retry --receipt-dir receipts $${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"}\n",
        "EnvironmentVariablesOverride": [
          {
            "Name": "RUN_ID",
            "Type": "PLAINTEXT",
            "Value.$": "States.Format('{}-validate', $$.Execution.Name)"
          },
          {
            "Name": "DR_FROM_RECEIPT",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.fromReceipt"
          }
        ]
      },
      "TimeoutSeconds": 1800,
      "ResultPath": null,
      "Retry": [
        {
          "ErrorEquals": [
            "States.TaskFailed"
          ],
          "IntervalSeconds": 15,
          "MaxAttempts": 2,
          "BackoffRate": 2,
          "MaxDelaySeconds": 120
        }
      ],
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.caught",
          "Next": "Validate failed"
        }
      ],
      "Next": "Done"
    },
    "Validate failed": {
      "Type": "Pass",
      "Comment": "dr apply wrote the failed receipt of validate on the worker; this records where.",
      "Parameters": {
        "phase": "validate",
        "runId.$": "States.Format('{}-validate', $$.Execution.Name)",
        "receipts.$": "States.Format('receipts/{}-validate', $$.Execution.Name)",
        "error.$": "$.caught.Error",
        "cause.$": "$.caught.Cause",
        "summary.$": "States.Format('phase validate failed ({}); its receipts are in receipts/{}-validate on the worker', $.caught.Error, $$.Execution.Name)"
      },
      "ResultPath": "$.failure",
      "Next": "Failed"
    },
    "Done": {
      "Type": "Succeed",
      "Comment": "Every phase within the boundaries succeeded; each wrote its receipts on its worker."
    },
    "Failed": {
      "Type": "Fail",
      "Comment": "A phase failed; nothing downstream ran. Rerun only that phase: start an execution with startAt and stopAfter set to it.",
      "Error": "dr.PhaseFailed",
      "CausePath": "$.failure.summary"
    }
  }
}
EOT
}

resource "aws_cloudwatch_event_rule" "schedule" {
  name        = "dr-validate-only-schedule"
  description = "Scheduled start of dr-validate-only."
  schedule_expression = var.schedule_expression
  state       = var.enable_triggers ? "ENABLED" : "DISABLED"
}

resource "aws_cloudwatch_event_target" "schedule" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = aws_sfn_state_machine.dr.arn
  role_arn = var.events_role_arn
  input    = jsonencode({})
}

resource "aws_cloudwatch_event_rule" "alarm" {
  name        = "dr-validate-only-alarm"
  description = "Start of dr-validate-only when an alarm fires."
  event_pattern = jsonencode({
    source        = ["aws.cloudwatch"]
    "detail-type" = ["CloudWatch Alarm State Change"]
    detail = {
      alarmName = var.alarm_names
      state     = { value = ["ALARM"] }
    }
  })
  state       = var.enable_triggers ? "ENABLED" : "DISABLED"
}

resource "aws_cloudwatch_event_target" "alarm" {
  rule     = aws_cloudwatch_event_rule.alarm.name
  arn      = aws_sfn_state_machine.dr.arn
  role_arn = var.events_role_arn
  input    = jsonencode({})
}
