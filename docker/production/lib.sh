# shellcheck shell=bash
# Shared by deploy.sh and rollback.sh (sourced, not run). The release state lives in .deploy/:
#   release.env   the release that serves now: RSM_TAG=… and RSM_SCHEMA_VERSION=… (its tenant schema)
#   previous.env  the release before it (what rollback.sh returns to), same keys
#   history.log   one line per deploy and rollback

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="$here/.deploy"
# Read by the scripts that source this file:
# shellcheck disable=SC2034
release_file="$state_dir/release.env"
# shellcheck disable=SC2034
previous_file="$state_dir/previous.env"
# shellcheck disable=SC2034
history_file="$state_dir/history.log"
# Replaced one at a time, so the other keeps serving behind Caddy.
api_services=(api-1 api-2)

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# The value of KEY in an env file (empty when the file or the key is missing): value_of KEY FILE
value_of() {
  [[ -f "$2" ]] || return 0
  sed -n "s/^$1=//p" "$2" | tail -n 1
}

# Writes a release file atomically: write_release FILE TAG SCHEMA_VERSION
write_release() {
  printf 'RSM_TAG=%s\nRSM_SCHEMA_VERSION=%s\n' "$2" "$3" > "$1.tmp"
  mv "$1.tmp" "$1"
}

# docker compose on the production file with .env and the recorded release; an RSM_TAG in the
# environment (the release being switched to) wins over the recorded one.
dc() {
  local env_files=(--env-file "$here/.env")
  [[ -f "$release_file" ]] && env_files+=(--env-file "$release_file")
  docker compose --project-directory "$here" -f "$here/docker-compose.yml" "${env_files[@]}" "$@"
}

image() { value_of RSM_IMAGE "$here/.env"; }

# The newest tenant schema version an image knows (the timestamp of its last tenant migration),
# read from the image itself: schema_version_of TAG
schema_version_of() {
  docker run --rm --entrypoint node "$(image):$1" --input-type=module -e \
    "const m = await import('/app/api/dist/tenant-schema/tenant-migrations.js'); console.log(m.LATEST_TENANT_SCHEMA_VERSION)"
}

# Runs the admin CLI of release TAG in a one-off container: rsm_of TAG ARGS...
rsm_of() {
  local tag=$1
  shift
  RSM_TAG="$tag" dc run --rm -T migrate rsm "$@"
}

# Replaces each API instance with release TAG, one at a time, waiting until the new one is healthy
# (its HEALTHCHECK is /health/ready) and reports that release before touching the next: switch_to TAG
switch_to() {
  local tag=$1 service
  for service in "${api_services[@]}"; do
    log "switching $service to $tag"
    RSM_TAG="$tag" dc up -d --no-deps --wait --wait-timeout 180 "$service" || return 1
    # rsm_build_info names the release each instance runs (METRICS_PORT in docker-compose.yml).
    dc exec -T "$service" node -e \
      "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.exit(t.includes('release=\"$tag\"') ? 0 : 1), () => process.exit(1))" ||
      return 1
  done
}

# The public site answers through Caddy (automatic TLS): check_public
check_public() {
  local domain
  domain=$(value_of RSM_DOMAIN "$here/.env")
  curl -fsS --retry 15 --retry-delay 2 --retry-all-errors -o /dev/null "https://$domain/health/ready"
}
