#!/usr/bin/env bash
# Deploys release TAG of the image (docs/operations.md, "Deploy"):
#   1. pulls it and reads the tenant schema version it brings;
#   2. migrates with it, BEFORE any traffic moves: `rsm migrate --canary 5`, then every tenant
#      (migrations are expand/contract: the release still serving keeps working on the new schema);
#   3. records the release that served until now (.deploy/previous.env) for rollback.sh;
#   4. replaces api-1 then api-2, each only once the one before is healthy on the new release
#      (Caddy sends traffic to whichever is ready; a draining instance finishes its requests);
#   5. checks the public site.
# Any failure stops it; before step 4 nothing served has changed.
# Usage: ./deploy.sh TAG
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 ]] || {
  echo "usage: $0 TAG" >&2
  exit 2
}
new_tag=$1
[[ $new_tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "not an image tag: $new_tag"
[[ -f "$here/.env" ]] || die "no $here/.env: copy .env.example and fill it in"
mkdir -p "$state_dir"
old_tag=$(value_of RSM_TAG "$release_file")
old_schema=$(value_of RSM_SCHEMA_VERSION "$release_file")
[[ $new_tag != "$old_tag" ]] || die "$new_tag already serves"

log "1/5 pulling $(image):$new_tag"
docker pull "$(image):$new_tag"
new_schema=$(schema_version_of "$new_tag")
[[ $new_schema =~ ^[0-9]+$ ]] || die "could not read the tenant schema version of $new_tag"
log "    tenant schema: ${old_schema:-none} -> $new_schema"

log "2/5 migrating with $new_tag: canary tenants first"
rsm_of "$new_tag" migrate --canary 5 ||
  die "a canary tenant failed to migrate; nothing was switched, ${old_tag:-nothing} still serves. Fix, then run $0 $new_tag again"
rsm_of "$new_tag" migrate ||
  die "some tenants failed to migrate (listed above); nothing was switched. Fix them, then run $0 $new_tag again (migrate resumes)"

log "3/5 recording ${old_tag:-no release} as the previous release"
if [[ -n $old_tag ]]; then
  write_release "$previous_file" "$old_tag" "$old_schema"
else
  rm -f "$previous_file"
fi
write_release "$release_file" "$new_tag" "$new_schema"

log "4/5 switching traffic to $new_tag"
switch_to "$new_tag" || die "an instance did not become healthy on $new_tag: run ./rollback.sh (back to ${old_tag:-nothing})"
dc up -d --no-deps caddy prometheus grafana

log "5/5 checking the public site"
check_public || die "https://$(value_of RSM_DOMAIN "$here/.env")/health/ready does not answer: check Caddy, or run ./rollback.sh"

printf '%s deploy %s schema %s (previous %s schema %s)\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$new_tag" "$new_schema" "${old_tag:--}" "${old_schema:--}" >> "$history_file"
log "deployed $new_tag"
