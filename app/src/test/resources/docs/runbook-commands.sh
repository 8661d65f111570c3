# The command blocks of the operator runbook (dr-runbook.md), in its order, as RunbookCoverageTest reads them.
# Its example paths under the temporary folder are written <tmp>/...; nothing else is changed.

# --- block 1
set -euo pipefail

export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER=""
export EXPECTED_ACCOUNT_ID=048622080012

# Remote Terraform backend (required for DR mutation paths)
export TF_BACKEND_MODE=remote
export TF_BACKEND_BUCKET=<tf-backend-bucket>
export TF_BACKEND_KEY=signalcraft/dr/terraform.tfstate
export TF_BACKEND_DYNAMODB_TABLE=<tf-lock-table>

# DR network vars
export TF_VAR_vpc_id=vpc-4362fc3e
export TF_VAR_subnet_id=subnet-11001d5c

# DR data/release inputs
export BUCKET=<artifact-bucket>
export PREFIX=jobintel
export BACKUP_URI=s3://$BUCKET/$PREFIX/backups/<backup_id>
export IMAGE_REF=<account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest>

# 1) Publish control-plane continuity bundle from primary
scripts/control_plane/publish_bundle.sh \
  --bucket "$BUCKET" \
  --prefix "$PREFIX" \
  --image-ref-digest "$IMAGE_REF"

# 2) Full deterministic rehearsal (bringup -> restore -> validate -> optional promote -> teardown)
scripts/ops/dr_drill.sh \
  --backup-uri "$BACKUP_URI" \
  --image-ref "$IMAGE_REF" \
  --auto-promote false \
  --teardown true

# --- block 2
terraform -chdir=ops/dr/orchestrator apply \
  -var "region=us-east-1" \
  -var "expected_account_id=048622080012" \
  -var "enable_triggers=false" \
  -var "publish_bucket=<bucket>" \
  -var "backup_bucket=<bucket>" \
  -var "backup_uri=s3://<bucket>/<prefix>/backups/<backup_id>" \
  -var "receipt_bucket=<bucket>" \
  -var "notification_topic_arn=arn:aws:sns:us-east-1:048622080012:<topic>" \
  -var "dr_vpc_id=<vpc-id>" \
  -var "dr_subnet_id=<subnet-id>"

# --- block 3
export IMAGE_TAG="$(git rev-parse HEAD)"
scripts/release/build_and_push_ecr.sh
export RELEASE_METADATA="ops/proof/releases/release-${IMAGE_TAG}.json"
export IMAGE_REF="$(python3 - <<'PY' "$RELEASE_METADATA"
import json,sys
print(json.load(open(sys.argv[1], 'r', encoding='utf-8'))['image_ref_digest'])
PY
)"

# --- block 4
scripts/control_plane/publish_bundle.sh \
  --bucket <bucket> \
  --prefix <prefix> \
  --image-ref-digest <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest>

# --- block 5
scripts/control_plane/fetch_bundle.sh \
  --bucket <bucket> \
  --prefix <prefix> \
  --dest-dir <tmp>/control-plane-fetch

# --- block 6
scripts/control_plane/apply_bundle_k8s.sh \
  --bundle-dir <tmp>/control-plane-fetch/bundle/control-plane \
  --namespace jobintel \
  --render-only \
  --output-yaml <tmp>/control-plane.configmaps.yaml

# --- block 7
APPLY=1 scripts/ops/dr_bringup.sh

scripts/ops/dr_restore.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --kubeconfig <tmp>/.../k3s.public.yaml \
  --namespace jobintel

KUBECONFIG=<tmp>/.../k3s.public.yaml \
RUN_JOB=1 \
NAMESPACE=jobintel \
IMAGE_REF=<account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
scripts/ops/dr_validate.sh

# --- block 8
# Infra sizing override (keep ARM family)
export TF_VAR_instance_type=t4g.large

# Validate resource overrides (only if required by workload profile)
export VALIDATE_REQUEST_CPU=300m
export VALIDATE_REQUEST_MEMORY=640Mi
export VALIDATE_LIMIT_CPU=1
export VALIDATE_LIMIT_MEMORY=2Gi

# Retry behavior override
export DR_VALIDATE_MAX_RETRIES=2
export DR_VALIDATE_RETRY_BACKOFF_SECONDS=15

# --- block 9
scripts/ops/dr_ensure_ecr_pull_secret.sh \
  --namespace jobintel \
  --aws-region us-east-1 \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --secret-name ecr-pull \
  --service-account jobintel \
  --kubeconfig <tmp>/.../k3s.public.yaml \
  --receipt-dir <tmp>/.../ecr-pull-secret

# --- block 10
scripts/ops/dr_ensure_ecr_pull_secret.sh \
  --namespace jobintel \
  --aws-region us-east-1 \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --kubeconfig <tmp>/.../k3s.public.yaml \
  --dry-run

# --- block 11
scripts/ops/dr_status.sh \
  --state-machine-arn arn:aws:states:us-east-1:048622080012:stateMachine:signalcraft-dr-orchestrator-state-machine \
  --region us-east-1 \
  --expected-account-id 048622080012

scripts/ops/dr_approve.sh \
  --execution-arn arn:aws:states:us-east-1:048622080012:execution:signalcraft-dr-orchestrator-state-machine:<execution-id> \
  --region us-east-1 \
  --expected-account-id 048622080012 \
  --approver <name> \
  --ticket <change-ticket>

# --- block 12
scripts/ops/dr_failback.sh \
  --bucket <bucket> \
  --prefix <prefix> \
  --dr-run-id <dr_run_id> \
  --kubeconfig-dr <tmp>/.../k3s.public.yaml \
  --kubeconfig-primary /path/to/primary.kubeconfig \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --namespace jobintel \
  --provider openai \
  --profile cs

# --- block 13
scripts/ops/dr_failback.sh \
  --bucket <bucket> \
  --prefix <prefix> \
  --dr-run-id <dr_run_id> \
  --kubeconfig-dr <tmp>/.../k3s.public.yaml \
  --kubeconfig-primary /path/to/primary.kubeconfig \
  --confirm1 FAILBACK \
  --confirm2 CONFIRM-<dr_run_id> \
  --dry-run

# --- block 14
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --auto-promote false \
  --teardown true

# --- block 15
# 1) Bringup-only, capture kubeconfig into a stable receipt path.
BRINGUP_RUN_ID="m19-dr-bringup-$(date -u +%Y%m%dT%H%M%SZ)"
RUN_ID="${BRINGUP_RUN_ID}" \
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --start-at bringup \
  --stop-after bringup \
  --teardown false \
  --max-attempts 1
# kubeconfig saved at:
# <tmp>/signalcraft-m19-phasea-20260221/ops/proof/bundles/${BRINGUP_RUN_ID}/kubeconfig.yaml

# 2) Restore-only (DR already up), auto-loading kubeconfig from prior receipt.
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --start-at restore \
  --stop-after restore \
  --receipt-dir <tmp>/signalcraft-m19-phasea-20260221/ops/proof/bundles/${BRINGUP_RUN_ID} \
  --teardown false

# 3) Validate-only (restore already done), auto-loading kubeconfig from receipt.
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --validate-only \
  --receipt-dir <tmp>/signalcraft-m19-phasea-20260221/ops/proof/bundles/${BRINGUP_RUN_ID} \
  --teardown false

# --- block 16
# bringup-only once
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --start-at bringup \
  --stop-after bringup \
  --teardown false

# restore-only using prior receipt-dir kubeconfig
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --start-at restore \
  --stop-after restore \
  --receipt-dir <tmp>/signalcraft-m19-phasea-20260221/ops/proof/bundles/<bringup_run_id> \
  --teardown false

# validate-only iteration using prior receipt-dir kubeconfig
scripts/ops/dr_drill.sh \
  --backup-uri s3://<bucket>/<prefix>/backups/<backup_id> \
  --image-ref <account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \
  --validate-only \
  --receipt-dir <tmp>/signalcraft-m19-phasea-20260221/ops/proof/bundles/<bringup_run_id> \
  --teardown false

# final teardown after iteration completes
scripts/ops/dr_drill.sh \
  --start-at teardown \
  --teardown true
