# dr compile --target stepfunctions-terraform plans/full-drill.yaml
# The plan's state machine, started by an EventBridge schedule and by CloudWatch alarms.
# Both triggers exist but stay DISABLED unless enable_triggers = true (runbook default: false).
# terraform apply -var "region=..." -var "expected_account_id=..." ... (docs/compile.md).

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

# The provider refuses credentials of any other account before it changes anything.
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.expected_account_id]
}

variable "region" {
  description = "The region of the state machine and of the DR run; the plan's is us-east-1 (a worker runs in the region of its build or task)."
  type        = string
}

variable "expected_account_id" {
  description = "The only account this may be applied in (the provider refuses others); the plan's is 048622080012."
  type        = string
}

variable "enable_triggers" {
  description = "Start the state machine on the schedule and on the alarms (false: the rules are created disabled)."
  type        = bool
  default     = false
}

variable "publish_bucket" {
  description = "The bucket of the control-plane bundle (the workers' BUCKET)."
  type        = string
}

variable "backup_bucket" {
  description = "The bucket of the backups (the workers' BACKUP_BUCKET); backup_uri must be in it."
  type        = string
}

variable "backup_uri" {
  description = "The backup a restore reads, s3://<backup_bucket>/<prefix>/backups/<backup_id> (the workers' BACKUP_URI)."
  type        = string
}

variable "receipt_bucket" {
  description = "The bucket every worker uploads its receipts to, at s3://<receipt_bucket>/<receipt_prefix>/<execution_id>/."
  type        = string
}

variable "receipt_prefix" {
  description = "The key prefix of the receipts in receipt_bucket."
  type        = string
  default     = "dr-receipts"
}

variable "notification_topic_arn" {
  description = "The SNS topic told how each execution ended, and to which the promote gate publishes its approval request. Its policy must let events.amazonaws.com publish."
  type        = string
}

variable "dr_vpc_id" {
  description = "The DR VPC the terraform steps create the runners in (the workers' TF_VAR_vpc_id)."
  type        = string
}

variable "dr_subnet_id" {
  description = "The DR subnet of the runners (the workers' TF_VAR_subnet_id)."
  type        = string
}

variable "schedule_expression" {
  description = "When the scheduled drill starts."
  type        = string
  default     = "cron(0 6 ? * MON *)"
}

variable "alarm_names" {
  description = "CloudWatch alarms whose ALARM state starts an execution (none: no alarm rule)."
  type        = list(string)
  default     = []
}

data "aws_caller_identity" "current" {}

resource "aws_sfn_state_machine" "dr" {
  name       = "dr-full-drill"
  role_arn   = aws_iam_role.state_machine.arn
  definition = <<EOT
{
  "Comment": "dr plan plans/full-drill.yaml (full-drill): one Task per phase running dr apply plans/full-drill.yaml --phase NAME on the worker. Input (all optional): {\"startAt\": PHASE, \"stopAfter\": PHASE, \"fromReceipt\": RECEIPT_DIR, \"receiptBucket\": BUCKET, \"receiptPrefix\": PREFIX}; the plan's own boundaries are bringup to teardown; an input that gives either boundary replaces both, the other being the first or the last phase, as dr apply's boundary flags do.",
  "StartAt": "Defaults",
  "States": {
    "Defaults": {
      "Type": "Pass",
      "Comment": "The plan's own boundaries. fromReceipt is the run whose outputs (the kubeconfig) phases after bringup reuse: this execution's bringup when the machine has one, else the plan's own run.fromReceipt. Each worker uploads its receipts to s3://receiptBucket/receiptPrefix/<execution name>/ (none when receiptBucket is empty).",
      "Parameters": {
        "defaults": {
          "startAt": "bringup",
          "stopAfter": "teardown",
          "fromReceipt.$": "States.Format('receipts/{}-bringup', $$.Execution.Name)",
          "receiptBucket": ${jsonencode(var.receipt_bucket)},
          "receiptPrefix": ${jsonencode(var.receipt_prefix)}
        },
        "open": {
          "startAt": "bringup",
          "stopAfter": "teardown"
        },
        "input.$": "$"
      },
      "Next": "Boundaries given?"
    },
    "Boundaries given?": {
      "Type": "Choice",
      "Comment": "Does the input give a boundary? Then it replaces both of the plan's, as dr apply's flags do.",
      "Choices": [
        {
          "Or": [
            {
              "Variable": "$.input.startAt",
              "IsPresent": true
            },
            {
              "Variable": "$.input.stopAfter",
              "IsPresent": true
            }
          ],
          "Next": "Open boundaries"
        }
      ],
      "Default": "Boundaries"
    },
    "Open boundaries": {
      "Type": "Pass",
      "Comment": "The boundary the input does not give is the first or the last phase, not the plan's.",
      "Parameters": {
        "defaults.$": "States.JsonMerge($.defaults, $.open, false)",
        "input.$": "$.input"
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
      "Comment": "startAt and stopAfter must name phases of the plan, stopAfter not before startAt.",
      "Choices": [
        {
          "And": [
            {
              "Variable": "$.run.startAt",
              "StringEquals": "bringup"
            },
            {
              "Or": [
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "bringup"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "restore"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "validate"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "promote"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            }
          ],
          "Next": "Run Bringup?"
        },
        {
          "And": [
            {
              "Variable": "$.run.startAt",
              "StringEquals": "restore"
            },
            {
              "Or": [
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "restore"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "validate"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "promote"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            }
          ],
          "Next": "Run Bringup?"
        },
        {
          "And": [
            {
              "Variable": "$.run.startAt",
              "StringEquals": "validate"
            },
            {
              "Or": [
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "validate"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "promote"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            }
          ],
          "Next": "Run Bringup?"
        },
        {
          "And": [
            {
              "Variable": "$.run.startAt",
              "StringEquals": "promote"
            },
            {
              "Or": [
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "promote"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            }
          ],
          "Next": "Run Bringup?"
        },
        {
          "And": [
            {
              "Variable": "$.run.startAt",
              "StringEquals": "teardown"
            },
            {
              "Variable": "$.run.stopAfter",
              "StringEquals": "teardown"
            }
          ],
          "Next": "Run Bringup?"
        }
      ],
      "Default": "InvalidBoundaries"
    },
    "InvalidBoundaries": {
      "Type": "Fail",
      "Comment": "Nothing ran.",
      "Error": "dr.InvalidBoundaries",
      "Cause": "startAt and stopAfter must be phases of the plan in this order: bringup, restore, validate, promote, teardown, stopAfter not before startAt."
    },
    "Run Bringup?": {
      "Type": "Choice",
      "Comment": "Does bringup run within the boundaries? The same decision as dr apply --start-at --stop-after.",
      "Choices": [
        {
          "Variable": "$.run.startAt",
          "StringEquals": "bringup",
          "Next": "Bringup"
        }
      ],
      "Default": "Run Restore?"
    },
    "Bringup": {
      "Type": "Task",
      "Comment": "Phase bringup: dr apply plans/full-drill.yaml --phase bringup --yes --no-retry --receipt-dir receipts --auto-promote true on the worker (steps: terraform.apply). One attempt (the budget retries no error class).",
      "Resource": "arn:aws:states:::codebuild:startBuild.sync",
      "Parameters": {
        "ProjectName": "dr-worker",
        "BuildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        dr apply plans/full-drill.yaml --phase bringup --yes --no-retry --receipt-dir receipts --auto-promote true $${DR_RECEIPT_BUCKET:+--upload-receipts \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"}\n",
        "EnvironmentVariablesOverride": [
          {
            "Name": "RUN_ID",
            "Type": "PLAINTEXT",
            "Value.$": "States.Format('{}-bringup', $$.Execution.Name)"
          },
          {
            "Name": "DR_EXECUTION_ID",
            "Type": "PLAINTEXT",
            "Value.$": "$$.Execution.Name"
          },
          {
            "Name": "DR_RECEIPT_BUCKET",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptBucket"
          },
          {
            "Name": "DR_RECEIPT_PREFIX",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptPrefix"
          },
          {
            "Name": "EXPECTED_ACCOUNT_ID",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.expected_account_id)}
          },
          {
            "Name": "BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.publish_bucket)}
          },
          {
            "Name": "BACKUP_BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_bucket)}
          },
          {
            "Name": "BACKUP_URI",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_uri)}
          },
          {
            "Name": "TF_VAR_vpc_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_vpc_id)}
          },
          {
            "Name": "TF_VAR_subnet_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_subnet_id)}
          }
        ]
      },
      "TimeoutSeconds": 2400,
      "ResultPath": null,
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.caught",
          "Next": "Bringup failed"
        }
      ],
      "Next": "Run Restore?"
    },
    "Bringup failed": {
      "Type": "Pass",
      "Comment": "dr apply wrote the failed receipt of bringup on the worker; this records where.",
      "Parameters": {
        "phase": "bringup",
        "runId.$": "States.Format('{}-bringup', $$.Execution.Name)",
        "receipts.$": "States.Format('receipts/{}-bringup', $$.Execution.Name)",
        "error.$": "$.caught.Error",
        "cause.$": "$.caught.Cause",
        "summary.$": "States.Format('phase bringup failed ({}); its receipts are in receipts/{}-bringup on the worker', $.caught.Error, $$.Execution.Name)"
      },
      "ResultPath": "$.failure",
      "Next": "Failed"
    },
    "Run Restore?": {
      "Type": "Choice",
      "Comment": "Does restore run within the boundaries? The same decision as dr apply --start-at --stop-after.",
      "Choices": [
        {
          "Or": [
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "bringup"
                },
                {
                  "Or": [
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "restore"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "validate"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "promote"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "teardown"
                    }
                  ]
                }
              ]
            },
            {
              "Variable": "$.run.startAt",
              "StringEquals": "restore"
            }
          ],
          "Next": "Restore"
        }
      ],
      "Default": "Run Validate?"
    },
    "Restore": {
      "Type": "Task",
      "Comment": "Phase restore: dr apply plans/full-drill.yaml --phase restore --yes --no-retry --receipt-dir receipts --auto-promote true on the worker (steps: control-plane.fetch, backup.verify-contract, k8s.namespace, ecr.pull-secret, control-plane.apply, k8s.apply, backup.restore, k8s.require). One attempt (the budget retries no error class).",
      "Resource": "arn:aws:states:::codebuild:startBuild.sync",
      "Parameters": {
        "ProjectName": "dr-worker",
        "BuildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        dr apply plans/full-drill.yaml --phase restore --yes --no-retry --receipt-dir receipts --auto-promote true $${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"} $${DR_RECEIPT_BUCKET:+--upload-receipts \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"}\n",
        "EnvironmentVariablesOverride": [
          {
            "Name": "RUN_ID",
            "Type": "PLAINTEXT",
            "Value.$": "States.Format('{}-restore', $$.Execution.Name)"
          },
          {
            "Name": "DR_EXECUTION_ID",
            "Type": "PLAINTEXT",
            "Value.$": "$$.Execution.Name"
          },
          {
            "Name": "DR_RECEIPT_BUCKET",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptBucket"
          },
          {
            "Name": "DR_RECEIPT_PREFIX",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptPrefix"
          },
          {
            "Name": "DR_FROM_RECEIPT",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.fromReceipt"
          },
          {
            "Name": "EXPECTED_ACCOUNT_ID",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.expected_account_id)}
          },
          {
            "Name": "BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.publish_bucket)}
          },
          {
            "Name": "BACKUP_BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_bucket)}
          },
          {
            "Name": "BACKUP_URI",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_uri)}
          },
          {
            "Name": "TF_VAR_vpc_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_vpc_id)}
          },
          {
            "Name": "TF_VAR_subnet_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_subnet_id)}
          }
        ]
      },
      "TimeoutSeconds": 2400,
      "ResultPath": null,
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.caught",
          "Next": "Restore failed"
        }
      ],
      "Next": "Run Validate?"
    },
    "Restore failed": {
      "Type": "Pass",
      "Comment": "dr apply wrote the failed receipt of restore on the worker; this records where.",
      "Parameters": {
        "phase": "restore",
        "runId.$": "States.Format('{}-restore', $$.Execution.Name)",
        "receipts.$": "States.Format('receipts/{}-restore', $$.Execution.Name)",
        "error.$": "$.caught.Error",
        "cause.$": "$.caught.Cause",
        "summary.$": "States.Format('phase restore failed ({}); its receipts are in receipts/{}-restore on the worker', $.caught.Error, $$.Execution.Name)"
      },
      "ResultPath": "$.failure",
      "Next": "Failed"
    },
    "Run Validate?": {
      "Type": "Choice",
      "Comment": "Does validate run within the boundaries? The same decision as dr apply --start-at --stop-after.",
      "Choices": [
        {
          "Or": [
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "bringup"
                },
                {
                  "Or": [
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "validate"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "promote"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "teardown"
                    }
                  ]
                }
              ]
            },
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "restore"
                },
                {
                  "Or": [
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "validate"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "promote"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "teardown"
                    }
                  ]
                }
              ]
            },
            {
              "Variable": "$.run.startAt",
              "StringEquals": "validate"
            }
          ],
          "Next": "Validate"
        }
      ],
      "Default": "Run Promote?"
    },
    "Validate": {
      "Type": "Task",
      "Comment": "Phase validate: dr apply plans/full-drill.yaml --phase validate --yes --no-retry --receipt-dir receipts --auto-promote true on the worker (steps: k8s.run-job). Retry budget: 3 attempts on image-pull-auth, insufficient-memory; a .sync task fails as States.TaskFailed whatever the class, so every failed attempt is retried within the budget.",
      "Resource": "arn:aws:states:::codebuild:startBuild.sync",
      "Parameters": {
        "ProjectName": "dr-worker",
        "BuildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        dr apply plans/full-drill.yaml --phase validate --yes --no-retry --receipt-dir receipts --auto-promote true $${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"} $${DR_RECEIPT_BUCKET:+--upload-receipts \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"}\n",
        "EnvironmentVariablesOverride": [
          {
            "Name": "RUN_ID",
            "Type": "PLAINTEXT",
            "Value.$": "States.Format('{}-validate', $$.Execution.Name)"
          },
          {
            "Name": "DR_EXECUTION_ID",
            "Type": "PLAINTEXT",
            "Value.$": "$$.Execution.Name"
          },
          {
            "Name": "DR_RECEIPT_BUCKET",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptBucket"
          },
          {
            "Name": "DR_RECEIPT_PREFIX",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptPrefix"
          },
          {
            "Name": "DR_FROM_RECEIPT",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.fromReceipt"
          },
          {
            "Name": "EXPECTED_ACCOUNT_ID",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.expected_account_id)}
          },
          {
            "Name": "BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.publish_bucket)}
          },
          {
            "Name": "BACKUP_BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_bucket)}
          },
          {
            "Name": "BACKUP_URI",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_uri)}
          },
          {
            "Name": "TF_VAR_vpc_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_vpc_id)}
          },
          {
            "Name": "TF_VAR_subnet_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_subnet_id)}
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
      "Next": "Run Promote?"
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
    "Run Promote?": {
      "Type": "Choice",
      "Comment": "Does promote run within the boundaries? The same decision as dr apply --start-at --stop-after.",
      "Choices": [
        {
          "Or": [
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "bringup"
                },
                {
                  "Or": [
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "promote"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "teardown"
                    }
                  ]
                }
              ]
            },
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "restore"
                },
                {
                  "Or": [
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "promote"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "teardown"
                    }
                  ]
                }
              ]
            },
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "validate"
                },
                {
                  "Or": [
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "promote"
                    },
                    {
                      "Variable": "$.run.stopAfter",
                      "StringEquals": "teardown"
                    }
                  ]
                }
              ]
            },
            {
              "Variable": "$.run.startAt",
              "StringEquals": "promote"
            }
          ],
          "Next": "ApprovePromotion"
        }
      ],
      "Default": "Run Teardown?"
    },
    "ApprovePromotion": {
      "Type": "Task",
      "Comment": "The promote gate: waits (4h) until dr approve --execution-arn sends the task token back with the approver and the ticket.",
      "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
      "Parameters": {
        "TopicArn": "${var.notification_topic_arn}",
        "Subject": "dr: promote of full-drill waits for approval",
        "Message": {
          "TaskToken.$": "$$.Task.Token",
          "executionArn.$": "$$.Execution.Id",
          "plan": "plans/full-drill.yaml",
          "phase": "promote",
          "ticketRequired": true,
          "approve.$": "States.Format('dr approve --execution-arn {} --expected-account-id 048622080012 --approver NAME --ticket TICKET', $$.Execution.Id)"
        }
      },
      "TimeoutSeconds": 14400,
      "ResultPath": "$.approval",
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.caught",
          "Next": "Approval failed"
        }
      ],
      "Next": "Promote"
    },
    "Approval failed": {
      "Type": "Pass",
      "Comment": "No approval: promote did not run, so it has no receipt.",
      "Parameters": {
        "phase": "promote",
        "error.$": "$.caught.Error",
        "cause.$": "$.caught.Cause",
        "summary.$": "States.Format('the promote gate closed without an approval ({}); promote did not run', $.caught.Error)"
      },
      "ResultPath": "$.failure",
      "Next": "Failed"
    },
    "Promote": {
      "Type": "Task",
      "Comment": "Phase promote: dr apply plans/full-drill.yaml --phase promote --yes --no-retry --receipt-dir receipts --auto-promote true on the worker (steps: pointers.promote). One attempt (the budget retries no error class).",
      "Resource": "arn:aws:states:::codebuild:startBuild.sync",
      "Parameters": {
        "ProjectName": "dr-worker",
        "BuildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        dr apply plans/full-drill.yaml --phase promote --yes --no-retry --receipt-dir receipts --auto-promote true $${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"} $${DR_RECEIPT_BUCKET:+--upload-receipts \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"} & apply=$!; approved=no; for i in $(seq 1 150); do if dr approve \"$RUN_ID\" --receipt-dir receipts --approver \"$DR_APPROVER\" --ticket \"$DR_TICKET\"; then approved=yes; break; fi; kill -0 \"$apply\" 2>/dev/null || break; sleep 2; done; [ \"$approved\" = yes ] || kill \"$apply\" 2>/dev/null || true; wait \"$apply\"\n",
        "EnvironmentVariablesOverride": [
          {
            "Name": "RUN_ID",
            "Type": "PLAINTEXT",
            "Value.$": "States.Format('{}-promote', $$.Execution.Name)"
          },
          {
            "Name": "DR_EXECUTION_ID",
            "Type": "PLAINTEXT",
            "Value.$": "$$.Execution.Name"
          },
          {
            "Name": "DR_RECEIPT_BUCKET",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptBucket"
          },
          {
            "Name": "DR_RECEIPT_PREFIX",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptPrefix"
          },
          {
            "Name": "DR_FROM_RECEIPT",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.fromReceipt"
          },
          {
            "Name": "DR_APPROVER",
            "Type": "PLAINTEXT",
            "Value.$": "$.approval.approver"
          },
          {
            "Name": "DR_TICKET",
            "Type": "PLAINTEXT",
            "Value.$": "$.approval.ticket"
          },
          {
            "Name": "EXPECTED_ACCOUNT_ID",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.expected_account_id)}
          },
          {
            "Name": "BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.publish_bucket)}
          },
          {
            "Name": "BACKUP_BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_bucket)}
          },
          {
            "Name": "BACKUP_URI",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_uri)}
          },
          {
            "Name": "TF_VAR_vpc_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_vpc_id)}
          },
          {
            "Name": "TF_VAR_subnet_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_subnet_id)}
          }
        ]
      },
      "TimeoutSeconds": 1200,
      "ResultPath": null,
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.caught",
          "Next": "Promote failed"
        }
      ],
      "Next": "Run Teardown?"
    },
    "Promote failed": {
      "Type": "Pass",
      "Comment": "dr apply wrote the failed receipt of promote on the worker; this records where.",
      "Parameters": {
        "phase": "promote",
        "runId.$": "States.Format('{}-promote', $$.Execution.Name)",
        "receipts.$": "States.Format('receipts/{}-promote', $$.Execution.Name)",
        "error.$": "$.caught.Error",
        "cause.$": "$.caught.Cause",
        "summary.$": "States.Format('phase promote failed ({}); its receipts are in receipts/{}-promote on the worker', $.caught.Error, $$.Execution.Name)"
      },
      "ResultPath": "$.failure",
      "Next": "Failed"
    },
    "Run Teardown?": {
      "Type": "Choice",
      "Comment": "Does teardown run within the boundaries? The same decision as dr apply --start-at --stop-after.",
      "Choices": [
        {
          "Or": [
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "bringup"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            },
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "restore"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            },
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "validate"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            },
            {
              "And": [
                {
                  "Variable": "$.run.startAt",
                  "StringEquals": "promote"
                },
                {
                  "Variable": "$.run.stopAfter",
                  "StringEquals": "teardown"
                }
              ]
            },
            {
              "Variable": "$.run.startAt",
              "StringEquals": "teardown"
            }
          ],
          "Next": "Teardown"
        }
      ],
      "Default": "Done"
    },
    "Teardown": {
      "Type": "Task",
      "Comment": "Phase teardown: dr apply plans/full-drill.yaml --phase teardown --yes --no-retry --receipt-dir receipts --auto-promote true on the worker (steps: terraform.destroy, ec2.verify-no-runners). One attempt (the budget retries no error class). The phase fails unless ec2.verify-no-runners finds zero DR runners.",
      "Resource": "arn:aws:states:::codebuild:startBuild.sync",
      "Parameters": {
        "ProjectName": "dr-worker",
        "BuildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        dr apply plans/full-drill.yaml --phase teardown --yes --no-retry --receipt-dir receipts --auto-promote true $${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"} $${DR_RECEIPT_BUCKET:+--upload-receipts \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"}\n",
        "EnvironmentVariablesOverride": [
          {
            "Name": "RUN_ID",
            "Type": "PLAINTEXT",
            "Value.$": "States.Format('{}-teardown', $$.Execution.Name)"
          },
          {
            "Name": "DR_EXECUTION_ID",
            "Type": "PLAINTEXT",
            "Value.$": "$$.Execution.Name"
          },
          {
            "Name": "DR_RECEIPT_BUCKET",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptBucket"
          },
          {
            "Name": "DR_RECEIPT_PREFIX",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.receiptPrefix"
          },
          {
            "Name": "DR_FROM_RECEIPT",
            "Type": "PLAINTEXT",
            "Value.$": "$.run.fromReceipt"
          },
          {
            "Name": "EXPECTED_ACCOUNT_ID",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.expected_account_id)}
          },
          {
            "Name": "BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.publish_bucket)}
          },
          {
            "Name": "BACKUP_BUCKET",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_bucket)}
          },
          {
            "Name": "BACKUP_URI",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.backup_uri)}
          },
          {
            "Name": "TF_VAR_vpc_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_vpc_id)}
          },
          {
            "Name": "TF_VAR_subnet_id",
            "Type": "PLAINTEXT",
            "Value": ${jsonencode(var.dr_subnet_id)}
          }
        ]
      },
      "TimeoutSeconds": 2400,
      "ResultPath": null,
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.caught",
          "Next": "Teardown failed"
        }
      ],
      "Next": "Done"
    },
    "Teardown failed": {
      "Type": "Pass",
      "Comment": "dr apply wrote the failed receipt of teardown on the worker; this records where.",
      "Parameters": {
        "phase": "teardown",
        "runId.$": "States.Format('{}-teardown', $$.Execution.Name)",
        "receipts.$": "States.Format('receipts/{}-teardown', $$.Execution.Name)",
        "error.$": "$.caught.Error",
        "cause.$": "$.caught.Cause",
        "summary.$": "States.Format('phase teardown failed ({}); its receipts are in receipts/{}-teardown on the worker', $.caught.Error, $$.Execution.Name)"
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

  lifecycle {
    precondition {
      condition     = data.aws_caller_identity.current.account_id == var.expected_account_id
      error_message = "The AWS credentials are not of expected_account_id."
    }
    precondition {
      condition     = var.expected_account_id == "048622080012"
      error_message = "The plan plans/full-drill.yaml targets account 048622080012, not expected_account_id."
    }
    precondition {
      condition     = var.region == "us-east-1"
      error_message = "The plan plans/full-drill.yaml targets region us-east-1, not region."
    }
    precondition {
      condition     = startswith(var.backup_uri, "s3://${var.backup_bucket}/")
      error_message = "backup_uri must be an object prefix in backup_bucket (s3://<backup_bucket>/...)."
    }
  }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "dr-full-drill-schedule"
  description         = "Scheduled start of dr-full-drill."
  state               = var.enable_triggers ? "ENABLED" : "DISABLED"
  schedule_expression = var.schedule_expression
}

resource "aws_cloudwatch_event_target" "schedule" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = aws_sfn_state_machine.dr.arn
  role_arn = aws_iam_role.events.arn
  input = jsonencode({
    receiptBucket = var.receipt_bucket
    receiptPrefix = var.receipt_prefix
  })
}

resource "aws_cloudwatch_event_rule" "alarm" {
  count       = length(var.alarm_names) > 0 ? 1 : 0
  name        = "dr-full-drill-alarm"
  description = "Start of dr-full-drill when an alarm fires."
  state       = var.enable_triggers ? "ENABLED" : "DISABLED"
  event_pattern = jsonencode({
    source        = ["aws.cloudwatch"]
    "detail-type" = ["CloudWatch Alarm State Change"]
    detail = {
      alarmName = var.alarm_names
      state     = { value = ["ALARM"] }
    }
  })
}

resource "aws_cloudwatch_event_target" "alarm" {
  count    = length(aws_cloudwatch_event_rule.alarm)
  rule     = aws_cloudwatch_event_rule.alarm[0].name
  arn      = aws_sfn_state_machine.dr.arn
  role_arn = aws_iam_role.events.arn
  input = jsonencode({
    receiptBucket = var.receipt_bucket
    receiptPrefix = var.receipt_prefix
  })
}

resource "aws_cloudwatch_event_rule" "notify" {
  name        = "dr-full-drill-notify"
  description = "How each execution of dr-full-drill ended, to notification_topic_arn."
  event_pattern = jsonencode({
    source        = ["aws.states"]
    "detail-type" = ["Step Functions Execution Status Change"]
    detail = {
      stateMachineArn = [aws_sfn_state_machine.dr.arn]
      status          = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]
    }
  })
}

resource "aws_cloudwatch_event_target" "notify" {
  rule = aws_cloudwatch_event_rule.notify.name
  arn  = var.notification_topic_arn
}

resource "aws_iam_role" "state_machine" {
  name = "dr-full-drill-state-machine"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "state_machine" {
  name = "dr-orchestrator"
  role = aws_iam_role.state_machine.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Workers"
        Effect   = "Allow"
        Action   = ["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"]
        Resource = "arn:aws:codebuild:${var.region}:${var.expected_account_id}:project/dr-worker"
      },
      {
        Sid      = "SyncRule"
        Effect   = "Allow"
        Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
        Resource = "arn:aws:events:${var.region}:${var.expected_account_id}:rule/StepFunctionsGetEventForCodeBuildStartBuildRule"
      },
      {
        Sid      = "ApprovalRequest"
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = var.notification_topic_arn
      },
    ]
  })
}

resource "aws_iam_role" "events" {
  name = "dr-full-drill-events"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "events" {
  name = "dr-orchestrator"
  role = aws_iam_role.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "StartExecution"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = aws_sfn_state_machine.dr.arn
      },
    ]
  })
}
