# A stand-in for the DR bringup folder that runs offline: terraform_data is built into
# terraform, so no provider is downloaded, and the state stays in a local backend. Tests copy
# the folder first; terraform writes its state and .terraform beside main.tf.

terraform {
  backend "local" {}
}

variable "instance_type" {
  type = string
}

variable "join_token" {
  type      = string
  sensitive = true
  default   = "k3s-join-7f3a9c21d4"
}

resource "terraform_data" "network" {
  input = "10.42.0.0/16"
}

# Updated in place when the instance type changes.
resource "terraform_data" "runner" {
  input = {
    instance_type = var.instance_type
    subnet        = terraform_data.network.output
  }
}

# Replaced when the instance type changes.
resource "terraform_data" "root_volume" {
  triggers_replace = [var.instance_type]
  input            = "gp3"
}

# Only the t4g.medium runner gets one: deleted when the instance type changes.
resource "terraform_data" "burst_credits" {
  count = var.instance_type == "t4g.medium" ? 1 : 0
  input = "unlimited"
}

resource "terraform_data" "cluster" {
  input = {
    join_token = var.join_token
    runner     = terraform_data.runner.id
  }
}

output "public_ip" {
  value = "203.0.113.10"
}

output "kubeconfig" {
  sensitive = true
  value     = <<-EOT
    apiVersion: v1
    kind: Config
    clusters: [{name: dr, cluster: {server: "https://203.0.113.10:6443"}}]
    users: [{name: dr, user: {token: "${var.join_token}"}}]
    contexts: [{name: dr, context: {cluster: dr, user: dr}}]
    current-context: dr
  EOT
}
