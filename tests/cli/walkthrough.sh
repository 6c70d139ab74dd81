#!/usr/bin/env bash
# Azure's local walk-through (azureml-examples cli/deploy-local-endpoint.sh) with `az ml`
# replaced by endpointctl, on examples/linear-python:
#   walkthrough.sh ENDPOINTCTL docker|process
set -euo pipefail
CTL=$1
RUNTIME=$2
EXAMPLE="$(cd "$(dirname "$0")/../../examples/linear-python" && pwd)"

if [ "$RUNTIME" = docker ] && ! docker version >/dev/null 2>&1; then
    if [ "${STUDIO_REQUIRE_DOCKER:-}" = 1 ]; then
        echo "FAIL: STUDIO_REQUIRE_DOCKER=1 but no Docker engine answers" >&2
        exit 1
    fi
    echo "SKIP: no Docker engine answers"
    exit 77
fi

# Own state folder and a unique endpoint name, removed whatever happens.
export XDG_DATA_HOME
XDG_DATA_HOME=$(mktemp -d /tmp/endpointctl-walkthrough.XXXXXX)
export ENDPOINT_STUDIO_RUNTIME=$RUNTIME
ENDPOINT_NAME="endpt-$RUNTIME-$$-$RANDOM"
cleanup() {
    "$CTL" online-endpoint delete --local --name "$ENDPOINT_NAME" --yes >/dev/null 2>&1 || true
    rm -rf "$XDG_DATA_HOME"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# <create_endpoint>
"$CTL" online-endpoint create --local -n "$ENDPOINT_NAME" -f "$EXAMPLE/endpoint.yml"
# <create_deployment>
"$CTL" online-deployment create --local -n blue --endpoint "$ENDPOINT_NAME" \
    -f "$EXAMPLE/blue-deployment.yml"
# <get_status>
"$CTL" online-endpoint show -n "$ENDPOINT_NAME" --local

endpoint_status=$("$CTL" online-endpoint show --local --name "$ENDPOINT_NAME" \
    --query "provisioning_state" -o tsv)
echo "$endpoint_status"
[ "$endpoint_status" = Succeeded ] || fail "endpoint provisioning_state is '$endpoint_status'"

deploy_status=$("$CTL" online-deployment show --local --name blue --endpoint "$ENDPOINT_NAME" \
    --query "provisioning_state" -o tsv)
echo "$deploy_status"
[ "$deploy_status" = Succeeded ] || fail "deployment provisioning_state is '$deploy_status'"

runtime=$("$CTL" online-deployment show --local -n blue -e "$ENDPOINT_NAME" \
    --query studio.runtime -o tsv)
[ "$runtime" = "$RUNTIME" ] || fail "deployed on the '$runtime' runtime, expected $RUNTIME"

# <test_endpoint>
answer=$("$CTL" online-endpoint invoke --local --name "$ENDPOINT_NAME" \
    --request-file "$EXAMPLE/sample-request.json")
echo "$answer"
expected='"{\"model\": \"linear-blue\", \"predictions\": [141.5, 220.5]}"'
[ "$answer" = "$expected" ] || fail "invoke printed '$answer', expected '$expected'"

# <test_endpoint_using_curl>
SCORING_URI=$("$CTL" online-endpoint show --local -n "$ENDPOINT_NAME" -o tsv \
    --query scoring_uri)
curl_answer=$(curl --fail --silent --show-error --request POST "$SCORING_URI" \
    --header 'Content-Type: application/json' --data @"$EXAMPLE/sample-request.json")
echo "$curl_answer"
[ "$curl_answer" = '{"model": "linear-blue", "predictions": [141.5, 220.5]}' ] ||
    fail "curl $SCORING_URI answered '$curl_answer'"

# <get_logs>
logs=$("$CTL" online-deployment get-logs --local -n blue --endpoint "$ENDPOINT_NAME")
echo "$logs" | tail -n 5
echo "$logs" | grep -q "Init complete: model linear-blue" || fail "no init() line in the logs"
[ "$(echo "$logs" | grep -c 'POST /score 200')" -ge 2 ] ||
    fail "the logs hold fewer than two 'POST /score 200' lines"

# <delete_endpoint>
"$CTL" online-endpoint delete --local --name "$ENDPOINT_NAME" --yes

if "$CTL" online-endpoint show --local -n "$ENDPOINT_NAME" >/dev/null 2>&1; then
    fail "the endpoint is still listed after delete"
else
    code=$?
    [ "$code" = 3 ] || fail "show after delete exited $code, expected 3 (not found)"
fi
if [ "$RUNTIME" = docker ]; then
    left=$(docker ps -aq --filter "label=endpoint=$ENDPOINT_NAME")
    [ -z "$left" ] || fail "containers left after delete: $left"
    volumes=$(docker volume ls -q | grep -F "$ENDPOINT_NAME" || true)
    [ -z "$volumes" ] || fail "volumes left after delete: $volumes"
fi
echo "PASS: walk-through on the $RUNTIME runtime"
