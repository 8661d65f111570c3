# One resource whose creation takes 30 seconds: long enough to interrupt terraform mid-apply.

terraform {
  backend "local" {}
}

variable "instance_type" {
  type = string
}

resource "terraform_data" "slow" {
  input = var.instance_type

  provisioner "local-exec" {
    command = "sleep 30"
  }
}
