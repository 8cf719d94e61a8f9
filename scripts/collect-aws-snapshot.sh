#!/usr/bin/env bash
# collect-aws-snapshot.sh: a read-only snapshot of one AWS account for demarc, made with the
# AWS CLI v2. One JSON file per call (a failed call leaves its error in a .err file, which is
# evidence too) plus manifest.json listing every call, in the layout `demarc import` reads.
#
# Usage:
#   scripts/collect-aws-snapshot.sh [--out DIR] [--label NAME] [--zip] REGION [REGION...]
#   e.g. AWS_PROFILE=client-audit scripts/collect-aws-snapshot.sh --zip eu-west-1 us-east-1
#
# It only reads. Every AWS call goes through `call` or `names` below, and every operation is a
# describe-*, list-*, get-* or generate-credential-report (tests/collect_script.rs checks this).
# generate-credential-report asks IAM to build the credential report; it changes nothing.
#
# Permissions: the AWS managed policy SecurityAudit (arn:aws:iam::aws:policy/SecurityAudit)
# covers every call; ViewOnlyAccess (arn:aws:iam::aws:policy/job-function/ViewOnlyAccess)
# covers most (calls it does not allow are recorded as AccessDenied and show as "unknown" in
# demarc, never as a pass). Nothing here needs write access. See docs/collect.md.
#
# Output: DIR (default ./aws-snapshot-<account>-<UTC time>) holding
#   <service>_<operation>[--<param>=<value>...][--region=<region>].json   output of a call
#   <same name>.err                                                        stderr of a failed call
#   manifest.json                                                          every call, in order
# Values in names are sanitised to [A-Za-z0-9._=+@-]; the region suffix is added only for
# regions after the first. Use manifest.json (exact params), not the file names.
#
# Windows: run it from Git Bash, WSL or CloudShell (files are UTF-8). Outputs saved by hand from
# PowerShell also import: demarc reads UTF-8 with or without a byte-order mark and UTF-16 (what
# Windows PowerShell 5.1's `>` writes); a Windows code page is refused naming the file. Keep the
# CLI's own pagination (no --max-items): a page with NextToken imports with a warning.
# docs/collect.md, "Saving outputs on Windows", has the table.

set -u
set -o pipefail
export AWS_PAGER=""

OUT=""
LABEL=""
ZIP=0
REGIONS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
        --label) LABEL="${2:?--label needs a name}"; shift 2 ;;
        --zip) ZIP=1; shift ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        -*) echo "unknown option: $1" >&2; exit 2 ;;
        *) REGIONS+=("$1"); shift ;;
    esac
done
if [ ${#REGIONS[@]} -eq 0 ]; then
    echo "usage: $0 [--out DIR] [--label NAME] [--zip] REGION [REGION...]" >&2
    exit 2
fi
command -v aws >/dev/null 2>&1 || { echo "the AWS CLI (v2) is not installed: https://docs.aws.amazon.com/cli/" >&2; exit 2; }
if [ "$ZIP" -eq 1 ] && ! command -v zip >/dev/null 2>&1; then
    echo "--zip needs the zip command" >&2
    exit 2
fi
HOME_REGION="${REGIONS[0]}"

# ---------------------------------------------------------------------------------- helpers

json_escape() {
    local s="$1"
    s="${s//\\/\\\\}"
    s="${s//\"/\\\"}"
    s="${s//$'\n'/\\n}"
    s="${s//$'\r'/\\r}"
    s="${s//$'\t'/\\t}"
    printf '%s' "$s"
}

sanitise() {
    local v="$1"
    printf '%s' "${v//[^A-Za-z0-9._=+@-]/_}"
}

ENTRIES=()
OK=0
ERRORS=0

# call SERVICE OPERATION REGION [--param value]...
# Runs one read-only call, writes its output (or error) and records it for the manifest.
# A value with spaces is passed as several values (`--filter User Role`).
call() {
    local service="$1" operation="$2" region="$3"
    shift 3
    local name="${service}_${operation}" params="" argv=() shown=""
    while [ $# -gt 0 ]; do
        local flag="$1" value="${2-}"
        shift 2
        name="${name}--${flag#--}=$(sanitise "${value// /,}")"
        if [[ "$value" == *" "* ]]; then
            local list="" part
            argv+=("$flag")
            for part in $value; do
                argv+=("$part")
                list="${list:+$list, }\"$(json_escape "$part")\""
            done
            params="${params:+$params, }\"$(json_escape "$flag")\": [$list]"
        else
            argv+=("$flag" "$value")
            params="${params:+$params, }\"$(json_escape "$flag")\": \"$(json_escape "$value")\""
        fi
        shown="$shown $flag $value"
    done
    [ "$region" != "$HOME_REGION" ] && name="${name}--region=${region}"
    local command="aws $service $operation$shown --output json --region $region"
    local file status code="" exit_code
    aws "$service" "$operation" "${argv[@]}" --output json --region "$region" >"$OUT/$name.json" 2>"$OUT/$name.err"
    exit_code=$?
    if [ $exit_code -eq 0 ]; then
        rm -f "$OUT/$name.err"
        [ -s "$OUT/$name.json" ] || echo '{}' >"$OUT/$name.json"
        file="$name.json"; status="ok"; OK=$((OK + 1))
    else
        rm -f "$OUT/$name.json"
        file="$name.err"; status="error"; ERRORS=$((ERRORS + 1))
        code=$(grep -o 'An error occurred ([^)]*)' "$OUT/$name.err" | head -n 1 | sed 's/An error occurred (\(.*\))/\1/')
    fi
    local entry="{\"service\": \"$service\", \"operation\": \"$operation\", \"region\": \"$region\", \"params\": {$params}, \"command\": \"$(json_escape "$command")\", \"exit_code\": $exit_code, \"status\": \"$status\", \"file\": \"$(json_escape "$file")\""
    [ -n "$code" ] && entry="$entry, \"error_code\": \"$(json_escape "$code")\""
    ENTRIES+=("$entry}")
    printf '.' >&2
}

# names SERVICE OPERATION REGION QUERY [--param value]...
# Lists identifiers (one per line) with a read-only call and a --query; nothing is saved.
names() {
    local service="$1" operation="$2" region="$3" query="$4"
    shift 4
    aws "$service" "$operation" "$@" --region "$region" --query "$query" --output text 2>/dev/null \
        | tr '\t' '\n' | grep -v '^None$' | grep -v '^$' || true
}

# -------------------------------------------------------------------------------- identity

ACCOUNT=$(names sts get-caller-identity "$HOME_REGION" 'Account')
CALLER=$(names sts get-caller-identity "$HOME_REGION" 'Arn')
if [ -z "$ACCOUNT" ]; then
    echo "cannot call sts get-caller-identity: check your credentials (AWS_PROFILE, aws sso login)" >&2
    exit 1
fi
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
[ -n "$OUT" ] || OUT="aws-snapshot-${ACCOUNT}-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT" || exit 1
echo "collecting account $ACCOUNT, regions ${REGIONS[*]}, into $OUT" >&2

call sts get-caller-identity "$HOME_REGION"

# ------------------------------------------------------------------------------------- IAM
H="$HOME_REGION"
call iam get-account-summary "$H"
call iam get-account-password-policy "$H"
call iam list-account-aliases "$H"
call iam list-users "$H"
call iam list-groups "$H"
call iam list-roles "$H"
call iam list-policies "$H" --scope Local
call iam list-virtual-mfa-devices "$H"
call iam get-account-authorization-details "$H" --filter "User Role Group LocalManagedPolicy"
call iam generate-credential-report "$H"
for _ in 1 2 3 4 5 6 7 8 9 10; do
    names iam get-credential-report "$H" 'ReportFormat' | grep -q . && break
    sleep 2
done
call iam get-credential-report "$H"
for user in $(names iam list-users "$H" 'Users[].UserName'); do
    for op in list-mfa-devices list-access-keys get-login-profile list-attached-user-policies list-user-policies list-groups-for-user; do
        call iam "$op" "$H" --user-name "$user"
    done
done

# -------------------------------------------------------------------------------------- S3
call s3api list-buckets "$H"
call s3control get-public-access-block "$H" --account-id "$ACCOUNT"
for bucket in $(names s3api list-buckets "$H" 'Buckets[].Name'); do
    for op in get-bucket-location get-bucket-encryption get-public-access-block get-bucket-versioning \
              get-bucket-logging get-bucket-policy-status get-bucket-policy get-bucket-acl get-bucket-tagging; do
        call s3api "$op" "$H" --bucket "$bucket"
    done
done

# ------------------------------------------------------------------------- global services
call organizations describe-organization "$H"
call cloudfront list-distributions "$H"
call route53 list-hosted-zones "$H"

# -------------------------------------------------------------------------------- regional
for R in "${REGIONS[@]}"; do
    for op in describe-instances describe-security-groups describe-network-acls describe-vpcs describe-subnets \
              describe-route-tables describe-internet-gateways describe-nat-gateways describe-flow-logs \
              describe-volumes get-ebs-encryption-by-default; do
        call ec2 "$op" "$R"
    done
    call ec2 describe-snapshots "$R" --owner-ids self
    call rds describe-db-instances "$R"
    call rds describe-db-clusters "$R"
    call cloudtrail describe-trails "$R"
    for trail in $(names cloudtrail describe-trails "$R" 'trailList[].TrailARN'); do
        call cloudtrail get-trail-status "$R" --name "$trail"
        call cloudtrail get-event-selectors "$R" --trail-name "$trail"
    done
    call guardduty list-detectors "$R"
    for detector in $(names guardduty list-detectors "$R" 'DetectorIds[]'); do
        call guardduty get-detector "$R" --detector-id "$detector"
    done
    call kms list-keys "$R"
    call kms list-aliases "$R"
    for key in $(names kms list-keys "$R" 'Keys[].KeyId'); do
        call kms describe-key "$R" --key-id "$key"
        call kms get-key-rotation-status "$R" --key-id "$key"
    done
    call lambda list-functions "$R"
    call dynamodb list-tables "$R"
    for table in $(names dynamodb list-tables "$R" 'TableNames[]'); do
        call dynamodb describe-table "$R" --table-name "$table"
        call dynamodb describe-continuous-backups "$R" --table-name "$table"
    done
    call sqs list-queues "$R"
    for queue in $(names sqs list-queues "$R" 'QueueUrls[]'); do
        call sqs get-queue-attributes "$R" --queue-url "$queue" --attribute-names All
    done
    call sns list-topics "$R"
    for topic in $(names sns list-topics "$R" 'Topics[].TopicArn'); do
        call sns get-topic-attributes "$R" --topic-arn "$topic"
    done
    call logs describe-log-groups "$R"
    call configservice describe-configuration-recorders "$R"
    call configservice describe-configuration-recorder-status "$R"
    call configservice describe-delivery-channels "$R"
    call securityhub describe-hub "$R"
    call securityhub get-findings "$R"
    call resourcegroupstaggingapi get-resources "$R"
    call elbv2 describe-load-balancers "$R"
    call acm list-certificates "$R"
    call ecs list-clusters "$R"
    call eks list-clusters "$R"
    call elasticache describe-cache-clusters "$R"
    call redshift describe-clusters "$R"
    call efs describe-file-systems "$R"
    call secretsmanager list-secrets "$R"
    call apigateway get-rest-apis "$R"
    call ecr describe-repositories "$R"
    call stepfunctions list-state-machines "$R"
    call kinesis list-streams "$R"
    call opensearch list-domain-names "$R"
done
echo >&2

# -------------------------------------------------------------------------------- manifest
VERSION=$(aws --version 2>&1 | head -n 1)
TS_FORMAT=$(aws configure get cli_timestamp_format 2>/dev/null || true)
[ -n "$TS_FORMAT" ] || TS_FORMAT="iso8601 (AWS CLI v2 default)"
REGION_LIST=""
for R in "${REGIONS[@]}"; do REGION_LIST="${REGION_LIST:+$REGION_LIST, }\"$(json_escape "$R")\""; done
{
    printf '{\n "format": "aws-cli-readonly-snapshot",\n "format_version": 1,\n'
    printf ' "account_id": "%s",\n "account_label": "%s",\n "caller_arn": "%s",\n' \
        "$(json_escape "$ACCOUNT")" "$(json_escape "$LABEL")" "$(json_escape "$CALLER")"
    printf ' "region": "%s",\n "regions": [%s],\n "collected_at": "%s",\n' "$(json_escape "$HOME_REGION")" "$REGION_LIST" "$STAMP"
    printf ' "collector": {"tool": "aws-cli", "version": "%s", "script": "collect-aws-snapshot.sh", "output_format": "json", "cli_timestamp_format": "%s"},\n' \
        "$(json_escape "$VERSION")" "$(json_escape "$TS_FORMAT")"
    printf ' "file_naming": "<service>_<operation>[--<param>=<value>...][--region=<region>].json|.err; values sanitised to [A-Za-z0-9._=+@-]; region suffix only for regions other than '"'"'region'"'"'",\n'
    printf ' "counts": {"calls": %d, "ok": %d, "error": %d},\n "commands": [\n' $((OK + ERRORS)) "$OK" "$ERRORS"
    for i in "${!ENTRIES[@]}"; do
        [ "$i" -gt 0 ] && printf ',\n'
        printf '  %s' "${ENTRIES[$i]}"
    done
    printf '\n ]\n}\n'
} >"$OUT/manifest.json"

echo "done: $((OK + ERRORS)) calls ($ERRORS failed, often AccessDenied or 'not configured'; see manifest.json)" >&2
if [ "$ZIP" -eq 1 ]; then
    (cd "$(dirname "$OUT")" && zip -qr "$(basename "$OUT").zip" "$(basename "$OUT")") && echo "wrote $OUT.zip" >&2
fi
echo "import it with: demarc import $OUT$([ "$ZIP" -eq 1 ] && echo .zip)" >&2
