#!/usr/bin/env bash
# Returns to the release deploy.sh recorded as previous (docs/operations.md, "Roll back"):
#   1. replaces api-1 then api-2 with the previous release, each once the one before is healthy
#      (expand/contract: the previous release runs on the newer schema until step 2 is done);
#   2. when the release being left changed the tenant schema, rolls every tenant back to the
#      previous release's schema version with `rsm migrate --to`, run from the image being left
#      (only it has those migrations' `down`);
#   3. checks the public site and records the rollback.
# Usage: ./rollback.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 0 ]] || {
  echo "usage: $0 (returns to the release recorded in .deploy/previous.env)" >&2
  exit 2
}
previous_tag=$(value_of RSM_TAG "$previous_file")
previous_schema=$(value_of RSM_SCHEMA_VERSION "$previous_file")
current_tag=$(value_of RSM_TAG "$release_file")
current_schema=$(value_of RSM_SCHEMA_VERSION "$release_file")
[[ -n $previous_tag ]] || die "no previous release recorded in $previous_file: nothing to roll back to"
[[ $previous_schema =~ ^[0-9]+$ ]] || die "the previous release's schema version is not recorded in $previous_file"

log "1/3 switching traffic back to $previous_tag (leaving $current_tag)"
write_release "$release_file" "$previous_tag" "$previous_schema"
switch_to "$previous_tag" || die "an instance did not become healthy on $previous_tag: see \`docker compose logs\`"

if [[ $current_schema != "$previous_schema" ]]; then
  log "2/3 $current_tag changed the tenant schema ($previous_schema -> $current_schema): rolling every tenant back to $previous_schema"
  rsm_of "$current_tag" migrate --to "$previous_schema" ||
    die "some tenants were not rolled back (listed above); $previous_tag serves. Fix them, then run: rsm migrate --to $previous_schema (image $current_tag)"
else
  log "2/3 $current_tag kept the tenant schema at $current_schema: nothing to roll back"
fi

log "3/3 checking the public site"
check_public || die "https://$(value_of RSM_DOMAIN "$here/.env")/health/ready does not answer: check Caddy"
# A second rollback would put back a release whose migrations were undone: go forward with deploy.sh.
rm -f "$previous_file"
printf '%s rollback to %s schema %s (left %s schema %s)\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$previous_tag" "$previous_schema" "$current_tag" "${current_schema:--}" >> "$history_file"
log "rolled back to $previous_tag"
